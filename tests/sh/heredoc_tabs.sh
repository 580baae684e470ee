# The sh corpus (see README.md): heredoc tabs, against dash.
cat <<-EOF
	indented
		twice
	EOF
echo done
