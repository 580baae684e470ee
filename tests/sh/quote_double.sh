# The sh corpus (see README.md): quote double, against dash.
x=world
echo "hello $x" "a  b" "\$x" "\\" "\"q\"" "it's"
echo "tab	in" "back\slash"
