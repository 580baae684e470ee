# The sh corpus (see README.md): fn local nested, against dash.
x=0
a() { local x=1; b; echo a$x; }
b() { echo b$x; x=2; }
a
echo top$x
