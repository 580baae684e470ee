# The sh corpus (see README.md): syntax unclosed, against dash.
echo first
if true; then
  echo inside
