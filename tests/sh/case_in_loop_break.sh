# The sh corpus (see README.md): case in loop break, against dash.
for i in 1 2 3 4; do
  case $i in
    3) break;;
  esac
  echo $i
done
