# The sh corpus (see README.md): group basic, against dash.
{ echo a; echo b; }
{ echo c; } > f.txt
cat f.txt
x=1; { x=2; }; echo $x
