# The sh corpus (see README.md): ar bits, against dash.
echo $((5 & 3)) $((5 | 3)) $((5 ^ 3)) $((1 << 4)) $((256 >> 2)) $((~0))
