# The sh corpus (see README.md): heredoc basic, against dash.
cat <<EOF
line one
line two
EOF
echo after
