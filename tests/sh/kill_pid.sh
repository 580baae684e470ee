# The sh corpus (see README.md): kill pid, against dash.
sleep 30 &
kill $!
wait $! 2>/dev/null
echo $?
