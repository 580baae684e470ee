# The sh corpus (see README.md): nested quotes cs, against dash.
echo "$(echo "inner \"quoted\" text")"
echo "a$(echo "b$(echo c)d")e"
