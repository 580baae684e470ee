# The sh corpus (see README.md): ar basic, against dash.
echo $((1 + 2)) $((7 / 2)) $((7 % 3)) $((2 * 3 + 4)) $((2 * (3 + 4)))
echo $((-5 + 2)) $((10 - 3 - 2))
