# The sh corpus (see README.md): cs trailing newlines, against dash.
x=$(printf 'a\n\n\n')
echo "[$x]"
y=$(printf '\n\nb\n')
echo "[$y]"
