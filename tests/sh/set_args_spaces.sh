# The sh corpus (see README.md): set args spaces, against dash.
set -- "a b" c
echo $#
echo "$1"
