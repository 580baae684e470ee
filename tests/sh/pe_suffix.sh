# The sh corpus (see README.md): pe suffix, against dash.
f=archive.tar.gz
echo ${f%.*} ${f%%.*}
p=/usr/local/bin
echo ${p%/*} ${p%%/*}x
