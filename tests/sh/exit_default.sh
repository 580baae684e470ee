# The sh corpus (see README.md): exit default, against dash.
false
exit
