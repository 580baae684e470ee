# The sh corpus (see README.md): fn return, against dash.
f() { return 3; echo never; }
f; echo $?
g() { false; }
g; echo $?
h() { true; return; }
h; echo $?
