# The sh corpus (see README.md): set plus e, against dash.
set -e
set +e
false
echo went on
