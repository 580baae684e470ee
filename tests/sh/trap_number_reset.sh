# The sh corpus (see README.md): trap with a number first resets, against dash.
trap 'echo one' USR1
trap 'echo two' TERM
trap 10 15
trap
echo cleared
