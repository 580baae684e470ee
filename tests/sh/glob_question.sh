# The sh corpus (see README.md): glob question, against dash.
mkdir g && cd g || exit 1
touch a1 a2 a10
echo a?
echo a??
