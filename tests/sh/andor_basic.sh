# The sh corpus (see README.md): andor basic, against dash.
true && echo a
false && echo b
false || echo c
true || echo d
true && false || echo e
