# The sh corpus (see README.md): empty script lines, against dash.
echo only

