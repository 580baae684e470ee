# The sh corpus (see README.md): path split, against dash.
p=/bin:/usr/bin:/usr/local/bin
IFS=:
for d in $p; do echo "dir $d"; done
