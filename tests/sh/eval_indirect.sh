# The sh corpus (see README.md): eval indirect, against dash.
name=target
target=found
eval "echo \$$name"
eval "$name=changed"
echo $target
