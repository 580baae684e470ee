# The sh corpus (see README.md): group redirect, against dash.
{ echo one; echo two; } | sed 's/^/> /'
{ echo err >&2; } 2>&1 | cat
