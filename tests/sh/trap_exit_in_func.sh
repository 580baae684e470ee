# The sh corpus (see README.md): exit inside a function runs the EXIT trap, against dash.
trap 'echo exit trap $?' EXIT
f() { echo in f; exit 4; }
f
echo unreachable
