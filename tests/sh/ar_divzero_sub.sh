# The sh corpus (see README.md): ar divzero sub, against dash.
(echo $((1 / 0))) 2>/dev/null
echo status $?
