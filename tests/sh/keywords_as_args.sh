# The sh corpus (see README.md): keywords as args, against dash.
echo if then else fi do done case esac in
echo {
x=if; echo $x
