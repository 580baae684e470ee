# The sh corpus (see README.md): join args, against dash.
join() { IFS=$1; shift; echo "$*"; }
join , a b c
join - x
