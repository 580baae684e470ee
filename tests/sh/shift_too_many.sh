# The sh corpus (see README.md): shift too many, against dash.
set -- a
( shift 2 ) 2>/dev/null
echo status $?
