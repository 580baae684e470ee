# The sh corpus (see README.md): pe pattern quoted, against dash.
x='a*b*c'
echo "${x%'*'*}" "${x#*\*}"
y=foo.c
echo ${y%.[ch]}
