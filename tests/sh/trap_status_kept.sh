# The sh corpus (see README.md): $? inside and after a trap, against dash.
trap 'echo in trap $?' USR1
false
kill -USR1 $$
echo after $?
