# The sh corpus (see README.md): printf basic, against dash.
printf '%s-%s\n' a b
printf '%d %5d|%-5d|\n' 42 7 7
printf '%s\n' one two three
printf 'no newline'
printf '\n%%\n'
