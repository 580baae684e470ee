# The sh corpus (see README.md): var hash args, against dash.
set -- a b c
echo $# $1 $2 $3
set --
echo $#
