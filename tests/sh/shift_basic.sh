# The sh corpus (see README.md): shift basic, against dash.
set -- a b c d
shift; echo $1 $#
shift 2; echo $1 $#
shift; echo $#
