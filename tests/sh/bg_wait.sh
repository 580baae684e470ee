# The sh corpus (see README.md): bg wait, against dash.
echo bg > f &
wait
cat f
