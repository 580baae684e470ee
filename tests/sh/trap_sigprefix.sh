# The sh corpus (see README.md): numbered signals, against dash.
trap 'echo term' 15
trap 'echo usr2' 12
trap
kill -TERM $$
kill -USR2 $$
trap 2>&1 | wc -l
