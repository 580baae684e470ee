# The sh corpus (see README.md): read basic, against dash.
echo 'a b c' | { read x y; echo "[$x][$y]"; }
echo 'one' | { read x y; echo "[$x][$y]"; }
