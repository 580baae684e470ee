# The sh corpus (see README.md): var assign, against dash.
a=1 b=2
echo $a $b
c=$a$b; echo $c
d="$a $b"; echo "$d"
e=; echo "[$e]"
