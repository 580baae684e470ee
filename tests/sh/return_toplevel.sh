# The sh corpus (see README.md): return at the top level, against dash.
echo a
return 3
echo never
