# The sh corpus (see README.md): fn pipe, against dash.
f() { while read l; do echo "<$l>"; done; }
printf 'a\nb\n' | f
