# The sh corpus (see README.md): arg parse loop, against dash.
set -- -a -b value file1 file2
while [ $# -gt 0 ]; do
  case $1 in
    -a) echo "flag a";;
    -b) shift; echo "b=$1";;
    *) echo "file $1";;
  esac
  shift
done
