# The sh corpus (see README.md): a trap that resets itself runs once, against dash.
trap 'echo once; trap - USR1' USR1
kill -USR1 $$
trap
echo between
trap '' USR1
kill -USR1 $$
echo end
