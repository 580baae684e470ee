# The sh corpus (see README.md): sete basic, against dash.
set -e
echo one
false
echo never
