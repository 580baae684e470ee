# The sh corpus (see README.md): nested functions define, against dash.
outer() {
  inner() { echo inner called; }
  inner
}
outer
inner
