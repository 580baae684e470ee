# The sh corpus (see README.md): ar compare, against dash.
echo $((1 < 2)) $((2 < 1)) $((3 == 3)) $((3 != 3)) $((2 >= 2)) $((1 <= 0))
echo $((1 && 0)) $((1 || 0)) $((!5)) $((!0))
