# The sh corpus (see README.md): dot source, against dash.
echo 'sourced_var=from_file; echo in sourced' > lib.sh
. ./lib.sh
echo $sourced_var
