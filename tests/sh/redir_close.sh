# The sh corpus (see README.md): redir close, against dash.
echo visible
( echo hidden >&3 ) 3>&- 2>/dev/null || echo closed
