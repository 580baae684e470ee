# The sh corpus (see README.md): fn return loop, against dash.
f() {
  for i in 1 2 3; do
    [ $i = 2 ] && return 7
    echo $i
  done
}
f; echo $?
