# The sh corpus (see README.md): cs in quotes parens, against dash.
echo "$(echo '(paren)')"
echo $(case x in x) echo matched;; esac)
