# The sh corpus (see README.md): var at star, against dash.
set -- 'a b' c
for i in "$@"; do echo "[$i]"; done
for i in "$*"; do echo "[$i]"; done
for i in $*; do echo "[$i]"; done
for i in $@; do echo "[$i]"; done
