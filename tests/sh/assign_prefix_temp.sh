# The sh corpus (see README.md): assign prefix temp, against dash.
x=global
x=temp sh -c 'echo $x'
echo $x
