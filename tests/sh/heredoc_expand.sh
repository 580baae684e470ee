# The sh corpus (see README.md): heredoc expand, against dash.
x=value
cat <<EOF
x is $x
sum $((1+2))
cmd $(echo out)
escaped \$x and \\ and \`
"quotes" 'stay'
EOF
