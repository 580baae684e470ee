# The sh corpus (see README.md): read ifs, against dash.
echo 'a:b:c' | { IFS=: read x y z; echo "$x $y $z"; }
echo 'a:b:c:d' | { IFS=: read x y; echo "$x [$y]"; }
