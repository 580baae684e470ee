# The sh corpus (see README.md): sete condition, against dash.
set -e
if false; then echo no; fi
false || echo recovered
! true
while false; do :; done
false && echo no
echo survived
