# The sh corpus (see README.md): setu basic, against dash.
set -u
x=1
echo $x
echo ${y:-default}
echo $y
echo never
