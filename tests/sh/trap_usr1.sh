# The sh corpus (see README.md): a trapped USR1 sent to the shell, against dash.
trap 'echo got USR1' USR1
kill -USR1 $$
echo after
