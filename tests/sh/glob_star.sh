# The sh corpus (see README.md): glob star, against dash.
mkdir g && cd g || exit 1
touch b.txt a.txt c.dat
echo *.txt
echo *
echo *.none
