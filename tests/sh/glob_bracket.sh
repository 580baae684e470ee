# The sh corpus (see README.md): glob bracket, against dash.
mkdir g && cd g || exit 1
touch x1 x2 x3 y1
echo x[12]
echo [xy]1
echo x[!1]
