# The sh corpus (see README.md): a bad signal name stops trap with status 1, against dash.
trap 'echo x' USR1 NOSUCHSIG USR2 2>/dev/null
echo status $?
trap
