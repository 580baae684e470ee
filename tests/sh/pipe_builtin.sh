# The sh corpus (see README.md): pipe builtin, against dash.
echo a b c | { read x y; echo "$y $x"; }
echo after
