# The sh corpus (see README.md): background status zero, against dash.
false &
echo $?
wait
