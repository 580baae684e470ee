# The sh corpus (see README.md): ar shortcircuit, against dash.
x=0
echo $((0 && (x = 5))) $x
echo $((1 || (x = 6))) $x
echo $((0 && 1 / 0))
