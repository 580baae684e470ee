# The sh corpus (see README.md): counting words, against dash.
text='the quick brown the lazy the'
n=0
for w in $text; do [ $w = the ] && n=$((n+1)); done
echo $n
