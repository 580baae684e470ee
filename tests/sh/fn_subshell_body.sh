# The sh corpus (see README.md): fn subshell body, against dash.
f() ( x=in; echo $x )
x=out
f
echo $x
