# The sh corpus (see README.md): for glob, against dash.
mkdir g && cd g && touch f1 f2
for f in f*; do echo file $f; done
