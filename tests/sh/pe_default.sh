# The sh corpus (see README.md): pe default, against dash.
unset u; e=; s=set
echo "${u-d1}" "${e-d2}" "${s-d3}"
echo "${u:-d1}" "${e:-d2}" "${s:-d3}"
