# The sh corpus (see README.md): long script, against dash.
total=0
for a in 1 2 3 4 5; do
  for b in 1 2 3 4 5; do
    case $(( (a * b) % 3 )) in
      0) total=$((total + a));;
      1) total=$((total - b));;
      *) total=$((total + 1));;
    esac
  done
done
echo $total
