# The sh corpus (see README.md): redir fd n, against dash.
echo three 3> f3 >&3
cat f3
