# The sh corpus (see README.md): ar bases, against dash.
echo $((0x10)) $((010)) $((0xff + 1))
