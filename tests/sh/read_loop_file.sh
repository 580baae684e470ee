# The sh corpus (see README.md): read loop file, against dash.
printf 'l1\nl2\nl3\n' > f
n=0
while read line; do n=$((n+1)); done < f
echo $n
