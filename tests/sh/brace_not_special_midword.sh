# The sh corpus (see README.md): brace not special midword, against dash.
echo a{b,c}d
echo {}
