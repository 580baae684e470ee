# The sh corpus (see README.md): break while, against dash.
i=0
while true; do
  i=$((i+1))
  [ $i -gt 3 ] && break
  echo $i
done
