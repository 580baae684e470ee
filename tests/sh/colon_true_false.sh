# The sh corpus (see README.md): colon true false, against dash.
: ignored args
echo $?
true; echo $?
false; echo $?
: ${v:=set_by_colon}
echo $v
