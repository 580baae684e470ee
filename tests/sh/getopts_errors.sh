# The sh corpus (see README.md): getopts on unknown options and missing arguments, against dash.
set -- -x -b
while getopts :ab: opt; do
  case $opt in
    \?) echo "unknown -$OPTARG";;
    :) echo "missing arg for -$OPTARG";;
    *) echo "opt $opt";;
  esac
done
echo "OPTIND=$OPTIND"
