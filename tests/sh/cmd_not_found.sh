# The sh corpus (see README.md): cmd not found, against dash.
no_such_command_xyz
echo $?
