# The sh corpus (see README.md): case basic, against dash.
for w in apple banana cherry kiwi; do
  case $w in
    apple) echo A;;
    b*) echo B;;
    *rr*) echo C;;
    *) echo other;;
  esac
done
