# The sh corpus (see README.md): fn local, against dash.
x=outer
f() { local x; x=inner; echo $x; }
f
echo $x
g() { local y=5 z; echo $y; z=1; }
g
echo "[$y][$z]"
