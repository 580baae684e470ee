# The sh corpus (see README.md): loop status, against dash.
for i in 1 2; do false; done; echo $?
while false; do :; done; echo $?
