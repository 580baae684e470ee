# The sh corpus (see README.md): heredoc loop, against dash.
while read a b; do echo "$b $a"; done <<EOF
1 one
2 two
EOF
