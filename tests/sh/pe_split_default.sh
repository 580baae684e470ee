# The sh corpus (see README.md): pe split default, against dash.
unset u
for w in ${u:-a b c}; do echo "<$w>"; done
for w in "${u:-a b c}"; do echo "<$w>"; done
