# The sh corpus (see README.md): readonly error status, against dash.
readonly RO=1
( RO=2 ) 2>/dev/null
echo $?
