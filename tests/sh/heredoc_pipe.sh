# The sh corpus (see README.md): heredoc pipe, against dash.
cat <<EOF | tr a-z A-Z
shout
EOF
