# The sh corpus (see README.md): andor newline, against dash.
true &&
  echo continued
false ||
  echo also
