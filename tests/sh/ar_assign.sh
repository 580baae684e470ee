# The sh corpus (see README.md): ar assign, against dash.
echo $((a = 4)) $a
echo $((a += 3)) $a
echo $((a *= 2)) $a
echo $((a -= 4)) $((a /= 2)) $((a %= 3)) $a
