# The sh corpus (see README.md): pe error, against dash.
x=1
echo "${x:?no}"
(echo "${y:?unset here}") 2>/dev/null
echo status $?
