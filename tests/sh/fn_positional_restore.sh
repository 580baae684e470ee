# The sh corpus (see README.md): fn positional restore, against dash.
set -- outer1 outer2
f() { echo "in: $1 $#"; shift; echo "shifted: $1 $#"; }
f a b c
echo "out: $1 $#"
