# The sh corpus (see README.md): local outside a function, against dash.
local x 2>/dev/null
echo never
