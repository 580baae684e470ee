# The sh corpus (see README.md): unset function and var, against dash.
v=1
f() { :; }
unset v
echo "[${v-unset}]"
unset -f f
