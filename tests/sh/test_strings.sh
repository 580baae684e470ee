# The sh corpus (see README.md): test strings, against dash.
[ abc = abc ] && echo eq
[ abc != abd ] && echo ne
[ -z "" ] && echo empty
[ -n x ] && echo nonempty
[ x ] && echo one-arg
[ "" ] || echo empty-false
