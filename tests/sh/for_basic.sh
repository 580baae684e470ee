# The sh corpus (see README.md): for basic, against dash.
for x in a b c; do echo $x; done
for x in; do echo never; done
set -- p1 p2
for x
do
  echo arg $x
done
