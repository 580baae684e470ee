# The sh corpus (see README.md): trap sete, against dash.
trap 'echo cleanup' EXIT
set -e
false
echo never
