# The sh corpus (see README.md): quote mixed, against dash.
x='1 2'
echo "$x"'$x'$x
echo "a"'b'c"d e"
