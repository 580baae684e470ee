# The sh corpus (see README.md): read eof, against dash.
printf 'no newline' | { read x; echo "$? [$x]"; }
printf '' | { read x; echo "$? [$x]"; }
