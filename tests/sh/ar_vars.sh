# The sh corpus (see README.md): ar vars, against dash.
i=5
echo $((i + 1)) $(($i * 2))
i=$((i + 1)); echo $i
echo $((unset_var + 1))
