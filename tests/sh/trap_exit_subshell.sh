# The sh corpus (see README.md): trap exit subshell, against dash.
trap 'echo outer' EXIT
( trap 'echo inner' EXIT; echo sub )
echo main
