# The sh corpus (see README.md): redir in, against dash.
printf 'x\ny\n' > f
cat < f
read first < f; echo $first
