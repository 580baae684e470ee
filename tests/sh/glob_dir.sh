# The sh corpus (see README.md): glob dir, against dash.
mkdir -p g/d1 g/d2 && touch g/d1/f g/d2/f
echo g/*/f
echo g/d*
