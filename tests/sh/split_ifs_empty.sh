# The sh corpus (see README.md): split ifs empty, against dash.
IFS=
x='a b c'
for w in $x; do echo "<$w>"; done
