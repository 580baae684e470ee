# The sh corpus (see README.md): exit in subshell, against dash.
(exit 5)
echo $?
echo $(exit 6; echo x)
