# The sh corpus (see README.md): command -v and command past a function, against dash.
f() { echo function; }
command -v f
command -v cd
command -v no_such_thing_here || echo not found
command -v sh > /dev/null && echo sh found
echo() { printf 'wrapped\n'; }
echo hi
command echo plain
unset -f echo
