# The sh corpus (see README.md): syntax error late, against dash.
echo first
if then
echo never
