# The sh corpus (see README.md): bg wait status, against dash.
(exit 3) &
wait $!
echo $?
