# The sh corpus (see README.md): var star ifs, against dash.
set -- a b c
IFS=:
echo "$*"
IFS=
echo "$*"
unset IFS
echo "$*"
