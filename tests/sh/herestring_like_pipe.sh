# The sh corpus (see README.md): herestring like pipe, against dash.
printf '%s\n' 'x y z' | { read a b c; echo $c $b $a; }
