# The sh corpus (see README.md): status after pipeline fn, against dash.
f() { return 2; }
f | true; echo $?
true | f; echo $?
