# The sh corpus (see README.md): trap exit status, against dash.
trap 'echo "exiting with $?"' EXIT
(exit 3)
exit 4
