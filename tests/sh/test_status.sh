# The sh corpus (see README.md): test status, against dash.
test 1 -eq 2; echo $?
test 1 -eq 1; echo $?
test; echo $?
