# The sh corpus (see README.md): trap - SIG puts the default back, against dash.
trap 'echo caught' USR2
kill -USR2 $$
trap - USR2
trap
echo listed
