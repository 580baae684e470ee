# The sh corpus (see README.md): case status, against dash.
case a in a) false;; esac; echo $?
case a in a) (exit 3);; esac; echo $?
