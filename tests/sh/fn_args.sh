# The sh corpus (see README.md): fn args, against dash.
f() { echo "$# [$1] [$2] [$*]"; }
f
f a
f a 'b c' d
