# The sh corpus (see README.md): glob dot, against dash.
mkdir g && cd g || exit 1
touch .hidden shown
echo *
echo .h*
