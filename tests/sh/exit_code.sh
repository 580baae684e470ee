# The sh corpus (see README.md): exit code, against dash.
echo before
exit 42
echo never
