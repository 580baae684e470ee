# The sh corpus (see README.md): quote single, against dash.
echo 'a  b' 'c"d' 'e|f'
echo '$HOME' '`x`'
