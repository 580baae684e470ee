# The sh corpus (see README.md): runaway recursion is an error, not a crash.
f() { f; }
(f) 2>/dev/null
[ $? -ne 0 ] && echo stopped
