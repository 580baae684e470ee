# The sh corpus (see README.md): cd dash, against dash.
mkdir x y
cd x; cd ../y; cd - > /dev/null
pwd | sed 's|.*/||'
