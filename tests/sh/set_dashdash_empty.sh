# The sh corpus (see README.md): set dashdash empty, against dash.
set -- x y
set --
echo $# "[$1]"
