# The sh corpus (see README.md): pe length, against dash.
x=hello; e=
echo ${#x} ${#e} ${#u}
set -- a b c d
echo ${#}
