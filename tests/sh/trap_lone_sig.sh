# The sh corpus (see README.md): a lone signal name resets its trap, against dash.
trap 'echo x' HUP
trap HUP
trap
echo ok
