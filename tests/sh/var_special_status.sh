# The sh corpus (see README.md): var special status, against dash.
true; echo $?
false; echo $?
! true; echo $?
! false; echo $?
(exit 7); echo $?
