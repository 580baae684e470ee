# The sh corpus (see README.md): line continuation, against dash.
echo one \
 two \
 three
x=ab\
cd
echo $x
