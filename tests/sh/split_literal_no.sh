# The sh corpus (see README.md): split literal no, against dash.
IFS=:
echo a:b
x=c:d
echo $x "$x"
