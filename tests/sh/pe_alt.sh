# The sh corpus (see README.md): pe alt, against dash.
unset u; e=; s=x
echo "[${u+a}]" "[${e+b}]" "[${s+c}]"
echo "[${u:+a}]" "[${e:+b}]" "[${s:+c}]"
