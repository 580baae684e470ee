# The sh corpus (see README.md): var export child, against dash.
FOO=bar; export FOO
sh -c 'echo $FOO'
BAZ=q sh -c 'echo $BAZ'
echo "[$BAZ]"
