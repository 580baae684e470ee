# The sh corpus (see README.md): echo n, against dash.
echo -n no newline
echo
echo -n
echo end
