# The sh corpus (see README.md): var ten, against dash.
set -- 1 2 3 4 5 6 7 8 9 10 11
echo $10 ${10} ${11}
