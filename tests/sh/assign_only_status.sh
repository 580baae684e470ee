# The sh corpus (see README.md): assign only status, against dash.
x=$(false)
echo $?
y=1
echo $?
