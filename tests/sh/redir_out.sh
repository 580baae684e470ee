# The sh corpus (see README.md): redir out, against dash.
echo hello > f
cat f
echo more >> f
cat f
