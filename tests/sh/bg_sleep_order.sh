# The sh corpus (see README.md): bg sleep order, against dash.
{ sleep 1; echo late; } &
echo early
wait
