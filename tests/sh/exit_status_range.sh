# The sh corpus (see README.md): exit status range, against dash.
(exit 256); echo $?
(exit 257); echo $?
