# The sh corpus (see README.md): read continuation, against dash.
printf 'a \\\nb\n' | { read x; echo "[$x]"; }
