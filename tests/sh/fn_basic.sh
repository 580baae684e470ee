# The sh corpus (see README.md): fn basic, against dash.
greet() { echo "hello $1"; }
greet world
greet "big world"
