# The sh corpus (see README.md): a special builtin error ends a script, against dash.
echo a
for i in 1; do break 0; done
echo never
