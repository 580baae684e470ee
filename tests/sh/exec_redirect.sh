# The sh corpus (see README.md): exec redirect, against dash.
exec 3> f
echo to three >&3
exec 3>&-
cat f
