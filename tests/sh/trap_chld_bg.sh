# The sh corpus (see README.md): a CHLD trap with a background job, against dash.
trap 'echo chld' CHLD
sleep 0 &
wait
trap - CHLD
echo done
