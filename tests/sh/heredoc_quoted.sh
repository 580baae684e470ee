# The sh corpus (see README.md): heredoc quoted, against dash.
x=value
cat <<'EOF'
x is $x $(echo no)
back\slash
EOF
cat <<"E"
$x
E
cat <<\E
$x
E
