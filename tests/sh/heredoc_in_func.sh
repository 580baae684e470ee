# The sh corpus (see README.md): heredoc in func, against dash.
f() {
  cat <<EOF
in function $1
EOF
}
f arg
