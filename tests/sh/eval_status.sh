# The sh corpus (see README.md): eval status, against dash.
eval false; echo $?
eval 'exit_code=3; (exit $exit_code)'; echo $?
eval ''; echo $?
