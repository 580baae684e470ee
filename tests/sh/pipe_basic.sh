# The sh corpus (see README.md): pipe basic, against dash.
echo hello | tr a-z A-Z
printf '3\n1\n2\n' | sort | head -n 2
