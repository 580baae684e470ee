# The sh corpus (see README.md): read blanks, against dash.
echo '   lead and trail   ' | { read x; echo "[$x]"; }
echo '   two   words   ' | { read x y; echo "[$x][$y]"; }
