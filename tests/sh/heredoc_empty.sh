# The sh corpus (see README.md): heredoc empty, against dash.
cat <<EOF
EOF
echo empty done
