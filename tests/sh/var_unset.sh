# The sh corpus (see README.md): var unset, against dash.
x=1; unset x; echo "[${x}]"
y=2; unset y z; echo "[$y]"
