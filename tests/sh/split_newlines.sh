# The sh corpus (see README.md): split newlines, against dash.
x='one
two three'
set -- $x
echo $#
echo "$x"
