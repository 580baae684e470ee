# The sh corpus (see README.md): fn redirect, against dash.
f() { echo out; echo err >&2; }
f > o.txt 2> e.txt
cat o.txt e.txt
g() { echo body; } > g.txt
g; cat g.txt
