# The sh corpus (see README.md): sete pipeline, against dash.
set -e
false | true
echo ok
true | false
echo never
