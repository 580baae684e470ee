# The sh corpus (see README.md): heredoc two, against dash.
cat <<A; cat <<B
first
A
second
B
