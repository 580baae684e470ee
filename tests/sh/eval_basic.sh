# The sh corpus (see README.md): eval basic, against dash.
cmd='echo evaluated'
eval $cmd
eval "x=5; echo \$x"
echo $x
