# The sh corpus (see README.md): redir missing file, against dash.
cat < /no/such/file
echo $?
