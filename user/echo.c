/*
 * echo: prints its arguments, separated by spaces, and a newline.
 *
 * As GNU's /bin/echo: -n drops the newline, -e turns on backslash escapes
 * (\n \t \\ \a \b \e \f \r \v \0nnn, and \c ends the output), -E turns
 * them off; only leading arguments made of those letters are options.
 *
 * See: docs/userland.md
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#define OCTAL_DIGITS 3

static bool is_option(const char *s)
{
    return s[0] == '-' && s[1] && strspn(s + 1, "neE") == strlen(s + 1);
}

/* Prints s with escapes; returns false after \c. */
static bool put_escaped(const char *s)
{
    static const char from[] = "abefnrtv\\";
    static const char to[] = "\a\b\x1b\f\n\r\t\v\\";
    for (; *s; s++) {
        if (*s != '\\' || !s[1]) {
            putchar(*s);
            continue;
        }
        s++;
        const char *e = strchr(from, *s);
        if (*s == 'c')
            return false;
        if (*s == '0') {
            int v = 0;
            for (int i = 0; i < OCTAL_DIGITS && s[1] >= '0' && s[1] <= '7'; i++)
                v = v * 8 + (*++s - '0');
            putchar(v);
        } else if (e) {
            putchar(to[e - from]);
        } else {
            putchar('\\');
            putchar(*s);
        }
    }
    return true;
}

int main(int argc, char **argv)
{
    bool newline = true, escapes = false;
    int i = 1;
    for (; i < argc && is_option(argv[i]); i++) {
        for (const char *o = argv[i] + 1; *o; o++) {
            if (*o == 'n')
                newline = false;
            else
                escapes = *o == 'e';
        }
    }
    for (int first = i; i < argc; i++) {
        if (i > first)
            putchar(' ');
        if (!escapes) {
            fputs(argv[i], stdout);
        } else if (!put_escaped(argv[i])) {
            newline = false;
            break;
        }
    }
    if (newline)
        putchar('\n');
    return fflush(stdout) == 0 ? 0 : 1;
}
