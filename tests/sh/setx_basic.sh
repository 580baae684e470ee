# The sh corpus (see README.md): setx basic, against dash.
set -x
echo traced
set +x
echo quiet
