# The sh corpus (see README.md): cs dollar, against dash.
x=$(echo hi)
echo "$x" $(echo a   b)
echo "$(echo a   b)"
