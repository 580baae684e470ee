# The sh corpus (see README.md): group status, against dash.
{ false; }; echo $?
{ true; false; true; }; echo $?
