# The sh corpus (see README.md): var readonly, against dash.
readonly R=5
echo $R
(R=6) 2>/dev/null || echo cannot
echo $R
