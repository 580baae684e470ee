# The sh corpus (see README.md): var at empty, against dash.
set --
for i in "$@"; do echo "x[$i]"; done
echo "[$@]" "$#"
f() { echo $#; }
f "$@"
f "$@" ""
