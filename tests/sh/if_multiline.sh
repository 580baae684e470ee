# The sh corpus (see README.md): if multiline, against dash.
x=2
if [ $x -eq 1 ]
then
  echo one
elif [ $x -eq 2 ]
then
  echo two
fi
