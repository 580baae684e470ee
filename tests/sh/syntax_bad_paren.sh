# The sh corpus (see README.md): syntax bad paren, against dash.
echo ok
echo )
