# The sh corpus (see README.md): pe prefix, against dash.
f=archive.tar.gz
echo ${f#*.} ${f##*.}
p=/usr/local/bin
echo ${p#/*/} ${p##*/}
