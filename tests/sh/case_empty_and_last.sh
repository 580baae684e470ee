# The sh corpus (see README.md): case empty and last, against dash.
case a in
  a) ;;
esac
echo $?
case b in
  b) echo last
esac
case c in x) echo no;; esac; echo status $?
