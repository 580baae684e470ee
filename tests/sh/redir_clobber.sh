# The sh corpus (see README.md): redir clobber, against dash.
echo one >| f
cat f
