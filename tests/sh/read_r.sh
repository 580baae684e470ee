# The sh corpus (see README.md): read r, against dash.
printf 'a\\b c\n' | { read x; printf '%s\n' "$x"; }
printf 'a\\b c\n' | { read -r x; printf '%s\n' "$x"; }
