# The sh corpus (see README.md): cd basic, against dash.
mkdir -p a/b
cd a/b
pwd | sed 's|.*/\(a/b\)$|\1|'
cd ..
pwd | sed 's|.*/||'
