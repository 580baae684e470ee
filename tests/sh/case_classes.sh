# The sh corpus (see README.md): case classes, against dash.
for c in a 5 Z _; do
  case $c in
    [0-9]) echo digit ;;
    [a-z]) echo lower ;;
    [A-Z]) echo upper ;;
    *) echo other ;;
  esac
done
