# The sh corpus (see README.md): case quoted pattern, against dash.
x='*'
case abc in "$x") echo literal ;; *) echo glob ;; esac
case '*' in "$x") echo literal ;; esac
case abc in $x) echo unquoted ;; esac
