# The sh corpus (see README.md): case alternatives, against dash.
for w in yes y no n maybe; do
  case $w in
    yes|y) echo affirmative ;;
    no|n) echo negative ;;
    *) echo unknown ;;
  esac
done
