# The sh corpus (see README.md): redir var target, against dash.
name=out.txt
echo via var > $name
cat "$name"
