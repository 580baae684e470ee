# The sh corpus (see README.md): tilde, against dash.
HOME=/home/me
echo ~ ~/x "~" '~'
x=~
echo $x
