# The sh corpus (see README.md): if status, against dash.
if false; then :; fi; echo $?
if true; then (exit 4); fi; echo $?
