# The sh corpus (see README.md): sete subshell, against dash.
set -e
(false)
echo never
