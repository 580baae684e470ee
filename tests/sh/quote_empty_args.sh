# The sh corpus (see README.md): quote empty args, against dash.
f() { echo $#; }
f "" '' a
f ""''
f $nothing
f "$nothing"
