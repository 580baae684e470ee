# The sh corpus (see README.md): sete function, against dash.
set -e
f() { false; echo never; }
f
echo never2
