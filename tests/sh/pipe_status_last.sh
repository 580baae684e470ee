# The sh corpus (see README.md): pipe status last, against dash.
false | true; echo $?
true | false; echo $?
