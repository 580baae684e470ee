# The sh corpus (see README.md): string reverse, against dash.
s=abcdef; r=
while [ -n "$s" ]; do
  rest=${s#?}
  c=${s%"$rest"}
  r=$c$r
  s=$rest
done
echo $r
