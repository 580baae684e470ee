# The sh corpus (see README.md): test numbers, against dash.
[ 3 -eq 3 ] && echo eq
[ 3 -ne 4 ] && echo ne
[ 3 -lt 4 ] && echo lt
[ 4 -gt 3 ] && echo gt
[ 3 -le 3 ] && echo le
[ 3 -ge 4 ] || echo notge
