# The sh corpus (see README.md): read ifs restored, against dash.
echo 'a:b' | { IFS=: read x y; echo "$x"; }
x='p q'
set -- $x
echo $#
