# The sh corpus (see README.md): dot source return, against dash.
printf 'echo a\nreturn 3\necho b\n' > lib.sh
. ./lib.sh
echo $?
