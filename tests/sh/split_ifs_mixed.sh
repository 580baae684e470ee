# The sh corpus (see README.md): split ifs mixed, against dash.
IFS=' :'
x=' a : b:c  '
for w in $x; do echo "<$w>"; done
