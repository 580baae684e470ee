# The sh corpus (see README.md): case paren, against dash.
case x in (x) echo paren ;; esac
case ab in (a|ab) echo two ;; esac
