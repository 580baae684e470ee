# The sh corpus (see README.md): subshell vars, against dash.
x=1
(x=2; echo $x)
echo $x
