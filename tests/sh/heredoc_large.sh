# The sh corpus (see README.md): heredoc large, against dash.
i=0
{
  echo 'cat <<EOF'
  while [ $i -lt 200 ]; do echo "line $i of the large body"; i=$((i+1)); done
  echo EOF
} > gen.sh
sh gen.sh | tail -n 2
sh gen.sh | wc -l | tr -d ' '
