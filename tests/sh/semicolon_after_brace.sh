# The sh corpus (see README.md): semicolon after brace, against dash.
{ echo a; }; { echo b; }
f() { echo c; }; f
