# The sh corpus (see README.md): cs backtick, against dash.
x=`echo hi`
echo $x `echo there`
echo "`echo 'q  q'`"
