# The sh corpus (see README.md): cd fail, against dash.
cd /no/such/dir 2>/dev/null || echo failed
pwd > /dev/null && echo still here
