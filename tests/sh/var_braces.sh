# The sh corpus (see README.md): var braces, against dash.
x=abc
echo ${x}def ${x}_1 $x_1.
