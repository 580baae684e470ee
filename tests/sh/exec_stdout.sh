# The sh corpus (see README.md): exec stdout, against dash.
exec > f
echo into file
exec >&2
cat f >&2
