# The sh corpus (see README.md): quote backslash, against dash.
echo a\ b c\\d \$x \"y\"
echo \a\b\c
