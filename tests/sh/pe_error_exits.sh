# The sh corpus (see README.md): pe error exits, against dash.
echo before
echo ${nope?is required}
echo after
