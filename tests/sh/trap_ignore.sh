# The sh corpus (see README.md): trap '' SIG ignores the signal, also in children, against dash.
trap '' USR1
kill -USR1 $$
echo still here
sh -c 'kill -USR1 $$; echo child survived'
echo done
