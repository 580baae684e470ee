# The sh corpus (see README.md): redir err, against dash.
ls /nonexistent-dir 2> e || echo failed
test -s e && echo has error
echo err >&2 2>/dev/null
