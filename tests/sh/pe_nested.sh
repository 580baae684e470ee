# The sh corpus (see README.md): pe nested, against dash.
unset a; b=B
echo ${a:-${b:-none}}
echo "${a:-"q u o"}"
echo ${a:-x y}
