# The sh corpus (see README.md): pipe long, against dash.
seq 1 20 | grep 1 | sort -r | head -n 3 | tr '\n' ' '
echo
