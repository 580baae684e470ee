# The sh corpus (see README.md): while read ifs default, against dash.
printf '  x  \n' | while read v; do echo "[$v]"; done
