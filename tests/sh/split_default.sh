# The sh corpus (see README.md): split default, against dash.
x='  a   b  c  '
for w in $x; do echo "<$w>"; done
echo "<$x>"
