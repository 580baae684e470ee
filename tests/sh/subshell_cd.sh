# The sh corpus (see README.md): subshell cd, against dash.
here=$(pwd)
mkdir sub
(cd sub && pwd | sed 's|.*/||')
[ "$(pwd)" = "$here" ] && echo unchanged
