# The sh corpus (see README.md): glob quoted, against dash.
mkdir g && cd g || exit 1
touch a b
echo "*" '*' \*
x='*'
echo "$x"
echo $x
