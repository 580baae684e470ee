# The sh corpus (see README.md): test files, against dash.
touch f; mkdir d
[ -e f ] && echo e
[ -f f ] && echo f
[ -d d ] && echo d
[ -f d ] || echo dnotf
[ -s f ] || echo empty
echo x > f
[ -s f ] && echo nonempty
[ -e nope ] || echo missing
