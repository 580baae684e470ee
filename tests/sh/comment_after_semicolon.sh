# The sh corpus (see README.md): comment after semicolon, against dash.
echo one; # comment
echo two # another
