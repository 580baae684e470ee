# The sh corpus (see README.md): ps4 trace, against dash.
PS4='TRACE '
set -x
: marker
