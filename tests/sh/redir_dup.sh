# The sh corpus (see README.md): redir dup, against dash.
{ echo out; echo err >&2; } 2>&1 > /dev/null
{ echo out; echo err >&2; } > f 2>&1
cat f
