# The sh corpus (see README.md): ar ternary, against dash.
x=3
echo $((x > 2 ? 10 : 20)) $((x > 5 ? 10 : 20))
