# The sh corpus (see README.md): glob noglob, against dash.
mkdir g && cd g || exit 1
touch a b
set -f
echo *
set +f
echo *
