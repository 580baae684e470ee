# The sh corpus (see README.md): getopts with flags, arguments and groups, against dash.
parse() {
  OPTIND=1
  while getopts ab:c opt; do
    case $opt in
      a) echo "flag a";;
      b) echo "b=$OPTARG";;
      c) echo "flag c";;
      *) echo "bad";;
    esac
  done
  shift $((OPTIND - 1))
  echo "rest: $*"
}
parse -a -b one file
parse -ac -bvalue x y
parse -- -a
parse plain
