# The sh corpus (see README.md): heredoc redirect fd, against dash.
cat 3<<EOF <&3
from three
EOF
