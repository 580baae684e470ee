# The sh corpus (see README.md): pipe while read, against dash.
printf 'one 1\ntwo 2\n' | while read name num; do
  echo "$num=$name"
done
