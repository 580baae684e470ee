# The sh corpus (see README.md): for args, against dash.
set -- p q
for a; do echo $a; done
for a in "$@"; do echo $a; done
