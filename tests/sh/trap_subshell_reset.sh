# The sh corpus (see README.md): a subshell's traps are the defaults, against dash.
trap 'echo parent trap' USR1
( trap ) | wc -l
( trap 'echo own' USR1; trap ) | wc -l
trap
