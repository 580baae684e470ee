# The sh corpus (see README.md): multiple assign order, against dash.
a=1 b=$a
echo $b
