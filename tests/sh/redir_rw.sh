# The sh corpus (see README.md): redir rw, against dash.
echo data > f
cat <> f
