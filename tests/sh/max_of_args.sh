# The sh corpus (see README.md): max of args, against dash.
max() {
  m=$1; shift
  for n; do [ $n -gt $m ] && m=$n; done
  echo $m
}
max 3 9 2 7
