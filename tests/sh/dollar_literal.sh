# The sh corpus (see README.md): dollar literal, against dash.
echo $ "$" a$ '$x'
echo cost: \$5
