# The sh corpus (see README.md): andor chain status, against dash.
false || false; echo $?
true && true; echo $?
false && true; echo $?
