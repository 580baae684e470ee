# The sh corpus (see README.md): subst in assignment no split, against dash.
x=$(echo 'a   b')
echo "$x"
y=$x
echo "$y"
