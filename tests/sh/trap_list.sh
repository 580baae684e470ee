# The sh corpus (see README.md): trap with no arguments lists the traps, against dash.
trap 'echo a' USR1
trap "echo it's" TERM
trap '' HUP
trap 'echo bye' EXIT
trap
