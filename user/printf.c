/*
 * printf: formats its arguments as the C function would, and more.
 *
 * The format's escapes (\n, \t, \\, \NNN octal, \xHH) are decoded; each
 * conversion (%d %i %o %u %x %X %c %s %b %e %f %g %E %G, with flags,
 * width and precision, * taking them from the arguments) consumes one
 * argument, missing ones counting as "" or 0. When arguments remain after
 * the format, it is used again, as POSIX says. A number that is not one
 * is reported and makes the status 1; 'c gives the character's code. %b
 * is a string whose escapes are decoded, and its \c ends all output.
 *
 * See: docs/userland.md
 */
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "usage.h"

#define USAGE     "usage: printf format [argument...]\n"
#define SPEC_MAX  64
#define OCTAL_MAX 3
#define HEX_MAX   2

static char **args;
static int nargs, status;
static bool stop; /* \c in a %b argument: print nothing more */

static const char *next_arg(void)
{
    if (nargs == 0)
        return NULL;
    nargs--;
    return *args++;
}

/* Decodes the escape after a backslash at *s; *s moves past it. */
static int escape(const char **s, bool in_b)
{
    const char *p = *s;
    int v = 0;
    if (*p >= '0' && *p <= '7') {
        int max = OCTAL_MAX + (in_b && *p == '0'); /* %b: \0NNN */
        for (int i = 0; i < max && *p >= '0' && *p <= '7'; i++)
            v = v * 8 + (*p++ - '0');
        *s = p;
        return v & 0xff;
    }
    if (*p == 'x' && strchr("0123456789abcdefABCDEF", p[1]) && p[1]) {
        p++;
        for (int i = 0;
             i < HEX_MAX && *p && strchr("0123456789abcdefABCDEF", *p);
             i++, p++)
            v = v * 16 + (*p <= '9' ? *p - '0' : (*p | 0x20) - 'a' + 10);
        *s = p;
        return v;
    }
    static const char from[] = "abefnrtv\\\"'",
                      to[] = "\a\b\x1b\f\n\r\t\v\\\"'";
    const char *e = *p ? strchr(from, *p) : NULL;
    if (e) {
        *s = p + 1;
        return to[e - from];
    }
    return -1; /* not an escape: the backslash is printed as it is */
}

/* Prints s with its escapes decoded (%b). */
static void print_b(const char *s)
{
    while (*s && !stop) {
        if (*s == '\\' && s[1] == 'c') {
            stop = true;
            return;
        }
        if (*s == '\\') {
            const char *p = s + 1;
            int c = escape(&p, true);
            if (c >= 0) {
                putchar(c);
                s = p;
                continue;
            }
        }
        putchar(*s++);
    }
}

static intmax_t to_number(const char *s)
{
    if (!s)
        return 0;
    if (*s == '\'' || *s == '"')
        return (unsigned char)s[1];
    char *end;
    errno = 0;
    intmax_t v = strtoimax(s, &end, 0);
    if (*s == '\0' || *end || errno) {
        fprintf(stderr, "printf: '%s': expected a numeric value\n", s);
        status = 1;
    }
    return v;
}

static long double to_float(const char *s)
{
    if (!s)
        return 0;
    if (*s == '\'' || *s == '"')
        return (unsigned char)s[1];
    char *end;
    long double v = strtold(s, &end);
    if (*s == '\0' || *end) {
        fprintf(stderr, "printf: '%s': expected a numeric value\n", s);
        status = 1;
    }
    return v;
}

/* Ends spec with C's length modifier (or none) and the letter. */
static void finish(char *spec, size_t len, char modifier, char conv)
{
    if (modifier)
        spec[len++] = modifier;
    spec[len++] = conv;
    spec[len] = '\0';
}

/* One conversion: spec is "%flags width .prec" without the letter. */
static void convert(char *spec, size_t len, char conv)
{
    const char *arg = next_arg();
    if (strchr("di", conv)) {
        finish(spec, len, 'j', 'd');
        printf(spec, to_number(arg));
    } else if (strchr("ouxX", conv)) {
        finish(spec, len, 'j', conv);
        printf(spec, (uintmax_t)to_number(arg));
    } else if (strchr("efgEFG", conv)) {
        finish(spec, len, 'L', conv);
        printf(spec, to_float(arg));
    } else if (conv == 'c') {
        finish(spec, len, 0, 'c');
        printf(spec, arg && *arg ? *arg : '\0');
    } else if (conv == 'b') {
        print_b(arg ? arg : "");
    } else {
        finish(spec, len, 0, 's');
        printf(spec, arg ? arg : "");
    }
}

/* Copies a conversion's flags, width and precision into spec. */
static const char *read_spec(const char *f, char *spec, size_t *len)
{
    *len = 0;
    spec[(*len)++] = '%';
    while (*f && strchr("-+ #0", *f) && *len < SPEC_MAX / 2)
        spec[(*len)++] = *f++;
    for (int part = 0; part < 2; part++) {
        if (part == 1) {
            if (*f != '.')
                break;
            spec[(*len)++] = *f++;
        }
        if (*f == '*') {
            f++;
            *len += (size_t)snprintf(spec + *len, SPEC_MAX / 2, "%d",
                                     (int)to_number(next_arg()));
        }
        while (*f >= '0' && *f <= '9' && *len < SPEC_MAX - 4)
            spec[(*len)++] = *f++;
    }
    spec[*len] = '\0';
    return f;
}

/* One pass over the format. */
static void format_once(const char *f)
{
    char spec[SPEC_MAX];
    while (*f && !stop) {
        if (*f == '\\') {
            f++;
            if (*f == 'c')
                return;
            int c = escape(&f, false);
            putchar(c >= 0 ? c : '\\');
            continue;
        }
        if (*f != '%') {
            putchar(*f++);
            continue;
        }
        if (f[1] == '%') {
            putchar('%');
            f += 2;
            continue;
        }
        size_t len;
        f = read_spec(f + 1, spec, &len);
        if (!*f || !strchr("diouxXeEfFgGcsb", *f)) {
            fprintf(stderr, "printf: %%%c: invalid conversion\n", *f);
            status = 1;
            stop = true;
            return;
        }
        convert(spec, len, *f++);
    }
}

int main(int argc, char **argv)
{
    if (argc == 2)
        usage_help(argc, argv, USAGE);
    int first = argc > 1 && strcmp(argv[1], "--") == 0 ? 2 : 1;
    if (first >= argc)
        usage_fail(USAGE, 1);
    args = argv + first + 1;
    nargs = argc - first - 1;
    do {
        int before = nargs;
        format_once(argv[first]);
        if (nargs == before)
            break;
    } while (nargs > 0 && !stop);
    return status;
}
