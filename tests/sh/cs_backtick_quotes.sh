# The sh corpus (see README.md): cs backtick quotes, against dash.
x=`echo "a b"`
echo "$x"
echo "`echo \"in\"`"
