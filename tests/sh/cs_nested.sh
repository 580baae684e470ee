# The sh corpus (see README.md): cs nested, against dash.
echo $(echo $(echo deep))
echo `echo \`echo deeper\``
