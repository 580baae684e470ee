# The sh corpus (see README.md): subshell exit, against dash.
(exit 3)
echo $?
(echo in; exit 0; echo no)
echo $?
