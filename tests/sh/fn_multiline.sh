# The sh corpus (see README.md): fn multiline, against dash.
f()
{
  echo first
  echo second
}
f
