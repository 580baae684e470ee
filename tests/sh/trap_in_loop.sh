# The sh corpus (see README.md): a trap that fires on each pass of a loop, against dash.
n=0
trap 'n=$((n + 1))' USR1
for i in 1 2 3 4 5; do
    kill -USR1 $$
done
echo $n
