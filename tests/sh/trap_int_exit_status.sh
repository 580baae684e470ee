# The sh corpus (see README.md): a trap that exits with its own status, against dash.
trap 'echo int; exit 3' INT
trap 'echo leaving' EXIT
kill -INT $$
echo not reached
