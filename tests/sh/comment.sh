# The sh corpus (see README.md): comment, against dash.
echo a # comment
echo b#notcomment
# whole line
echo 'c # not'
