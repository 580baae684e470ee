# The sh corpus (see README.md): exec replace, against dash.
echo before
exec echo replaced
echo never
