# The sh corpus (see README.md): arith in test, against dash.
a=4 b=6
if [ $((a + b)) -eq 10 ]; then echo ten; fi
