# The sh corpus (see README.md): test not, against dash.
[ ! -e nope ] && echo not
test ! abc = abd && echo notequal
