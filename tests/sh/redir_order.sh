# The sh corpus (see README.md): redir order, against dash.
echo x > a > b
cat a; echo -; cat b
