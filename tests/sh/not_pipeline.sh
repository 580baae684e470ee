# The sh corpus (see README.md): not pipeline, against dash.
! false | false; echo $?
! echo x | grep y > /dev/null; echo $?
