# The sh corpus (see README.md): redir builtin restore, against dash.
echo to file > f
echo to stdout
cat f
