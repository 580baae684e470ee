# The sh corpus (see README.md): cs subshell vars, against dash.
x=1
y=$(x=2; echo $x)
echo $x $y
