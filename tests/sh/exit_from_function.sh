# The sh corpus (see README.md): exit from function, against dash.
f() { exit 9; }
f
echo never
