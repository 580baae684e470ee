# The sh corpus (see README.md): export list self, against dash.
export MYVAR=hello
export | grep -c MYVAR
