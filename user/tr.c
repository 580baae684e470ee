/*
 * tr: translates, deletes or squeezes bytes from standard input.
 *
 *   tr SET1 SET2     each byte of SET1 becomes the byte at its place in
 *                    SET2 (SET2's last byte repeats when it is shorter)
 *   tr -d SET1       deletes them      tr -s SET   squeezes runs of them
 *   -c               the complement of SET1 (every byte not in it)
 *
 * A set is written with escapes (\n \t \\ \NNN), ranges (a-z) and classes
 * ([:alpha:], [:digit:], [:space:], ...), expanded into a list of bytes
 * once; the work is then a 256-entry table per byte.
 *
 * See: docs/userland.md
 */
#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "usage.h"

#define USAGE     "usage: tr [-cds] set1 [set2]\n"
#define BYTES     256
#define SET_MAX   4096
#define OCTAL_MAX 3

struct set {
    unsigned char b[SET_MAX];
    size_t len;
};

static const struct {
    const char *name;
    int (*is)(int);
} classes[] = {
    {"alnum", isalnum}, {"alpha", isalpha}, {"blank", isblank},
    {"cntrl", iscntrl}, {"digit", isdigit}, {"graph", isgraph},
    {"lower", islower}, {"print", isprint}, {"punct", ispunct},
    {"space", isspace}, {"upper", isupper}, {"xdigit", isxdigit},
};

/* One byte of a set's text, escapes decoded; *s moves past it. */
static int next_char(const char **s)
{
    const char *p = *s;
    if (*p != '\\' || !p[1]) {
        *s = p + 1;
        return (unsigned char)*p;
    }
    p++;
    if (*p >= '0' && *p <= '7') {
        int v = 0;
        for (int i = 0; i < OCTAL_MAX && *p >= '0' && *p <= '7'; i++)
            v = v * 8 + (*p++ - '0');
        *s = p;
        return v & (BYTES - 1);
    }
    static const char from[] = "abfnrtv", to[] = "\a\b\f\n\r\t\v";
    const char *e = strchr(from, *p);
    *s = p + 1;
    return e ? to[e - from] : (unsigned char)*p;
}

static void add(struct set *set, int c)
{
    if (set->len < SET_MAX)
        set->b[set->len++] = (unsigned char)c;
}

/* Adds [:name:] at *s if it is one; returns whether it was. */
static bool add_class(struct set *set, const char **s)
{
    if (strncmp(*s, "[:", 2) != 0)
        return false;
    const char *end = strstr(*s + 2, ":]");
    if (!end)
        return false;
    for (size_t i = 0; i < sizeof classes / sizeof classes[0]; i++) {
        if (strlen(classes[i].name) == (size_t)(end - *s - 2) &&
            strncmp(classes[i].name, *s + 2, (size_t)(end - *s - 2)) == 0) {
            for (int c = 0; c < BYTES; c++)
                if (classes[i].is(c))
                    add(set, c);
            *s = end + 2;
            return true;
        }
    }
    return false;
}

static void expand(const char *s, struct set *set)
{
    set->len = 0;
    while (*s) {
        if (add_class(set, &s))
            continue;
        int c = next_char(&s);
        if (*s == '-' && s[1]) {
            s++;
            int hi = next_char(&s);
            for (int x = c; x <= hi; x++)
                add(set, x);
        } else {
            add(set, c);
        }
    }
}

int main(int argc, char **argv)
{
    usage_help(argc, argv, USAGE);
    bool complement = false, del = false, squeeze = false;
    int opt;
    while ((opt = getopt(argc, argv, "cCds")) != -1) {
        if (opt == 'c' || opt == 'C')
            complement = true;
        else if (opt == 'd')
            del = true;
        else if (opt == 's')
            squeeze = true;
        else
            usage_fail(USAGE, 1);
    }
    int nsets = argc - optind;
    bool translate = !del && nsets == 2;
    if (nsets < 1 || nsets > 2 || (del && !squeeze && nsets != 1) ||
        (!del && !squeeze && nsets != 2) || (del && squeeze && nsets != 2))
        usage_fail(USAGE, 1);
    static struct set s1, s2;
    expand(argv[optind], &s1);
    if (nsets == 2)
        expand(argv[optind + 1], &s2);
    bool in1[BYTES] = {0}, in_squeeze[BYTES] = {0};
    for (size_t i = 0; i < s1.len; i++)
        in1[s1.b[i]] = true;
    if (complement) {
        s1.len = 0;
        for (int c = 0; c < BYTES; c++) {
            in1[c] = !in1[c];
            if (in1[c])
                add(&s1, c);
        }
    }
    int map[BYTES];
    for (int c = 0; c < BYTES; c++)
        map[c] = c;
    if (translate && s2.len == 0) {
        fprintf(stderr, "tr: when not truncating set1, string2 must be "
                        "non-empty\n");
        return 1;
    }
    for (size_t i = 0; translate && i < s1.len; i++)
        map[s1.b[i]] = s2.b[i < s2.len ? i : s2.len - 1];
    const struct set *sq = nsets == 2 ? &s2 : &s1;
    for (size_t i = 0; squeeze && i < sq->len; i++)
        in_squeeze[sq->b[i]] = true;
    int c, last = -1;
    while ((c = getchar()) != EOF) {
        if (del && in1[c])
            continue;
        c = map[c];
        if (squeeze && c == last && in_squeeze[c])
            continue;
        putchar(c);
        last = c;
    }
    return 0;
}
