# The sh corpus (see README.md): cs status, against dash.
x=$(false); echo $?
x=$(exit 3); echo $?
x=$(true); echo $?
