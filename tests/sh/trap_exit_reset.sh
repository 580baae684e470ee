# The sh corpus (see README.md): trap exit reset, against dash.
trap 'echo no' EXIT
trap - EXIT
echo quiet end
