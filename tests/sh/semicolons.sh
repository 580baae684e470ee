# The sh corpus (see README.md): semicolons, against dash.
echo a; echo b ;echo c
true; echo $?
false; echo $?
