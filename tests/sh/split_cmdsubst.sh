# The sh corpus (see README.md): split cmdsubst, against dash.
set -- $(echo a b; echo c)
echo $#
set -- "$(echo a b; echo c)"
echo $#
