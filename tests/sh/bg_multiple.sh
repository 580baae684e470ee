# The sh corpus (see README.md): bg multiple, against dash.
echo 1 > a & echo 2 > b &
wait
cat a b
