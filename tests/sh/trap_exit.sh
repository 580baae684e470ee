# The sh corpus (see README.md): trap exit, against dash.
trap 'echo bye' EXIT
echo running
