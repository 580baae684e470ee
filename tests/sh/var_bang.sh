# The sh corpus (see README.md): var bang, against dash.
true &
p=$!
wait $p
echo $?
[ -n "$p" ] && echo have
