# The sh corpus (see README.md): ar divzero, against dash.
echo before
echo $((7 / 0))
echo after
