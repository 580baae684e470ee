/*
 * od: a file's bytes in octal, hexadecimal, decimal or as characters.
 *
 * The input (files one after another, or standard input) is cut into
 * lines of 16 bytes; each line shows its offset (-A o, x, d or n for
 * none) and then the line in each -t type: o, x, d or u with a size of 1,
 * 2, 4 or 8 bytes (little-endian, as the machine reads them), or c for
 * characters (escapes for \0 \a \b \f \n \r \t \v, octal for the rest).
 * Each value takes the width of its type's largest value plus one space,
 * as GNU prints it: octal and hex padded with zeros, decimal with spaces. A
 * line equal to the one before is shown once as "*" (-v shows all). The old
 * options -b -c -d -o -x are -t o1, c, u2, o2, x2; the default is -t o2.
 *
 * See: docs/userland.md
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "usage.h"

#define USAGE                                                                  \
    "usage: od [-bcdovx] [-A o|x|d|n] [-t type...] [-j skip] [-N count]\n"     \
    "          [file...]\n"
#define OD_LINE   16
#define TYPES_MAX 8
#define BITS      8

struct type {
    char kind; /* o x d u c */
    int size;  /* bytes per value */
    int width; /* columns per value, its leading space included */
};

static struct type types[TYPES_MAX];
static int ntypes;
static char radix = 'o';

/* The digits of the largest value of a type, as GNU sizes its columns. */
static int digits_of(char kind, int size)
{
    uint64_t max = size == sizeof(uint64_t)
                       ? UINT64_MAX
                       : ((uint64_t)1 << (size * BITS)) - 1;
    char buf[32];
    if (kind == 'c')
        return 3;
    if (kind == 'd')
        return snprintf(buf, sizeof buf, "%lld", -(long long)(max / 2) - 1);
    return snprintf(buf, sizeof buf,
                    kind == 'o'   ? "%llo"
                    : kind == 'x' ? "%llx"
                                  : "%llu",
                    (unsigned long long)max);
}

static bool add_type(char kind, int size)
{
    if (ntypes == TYPES_MAX || !strchr("oxduc", kind) ||
        (size != 1 && size != 2 && size != 4 && size != 8))
        return false;
    types[ntypes++] = (struct type){kind, size, digits_of(kind, size) + 1};
    return true;
}

/* -t's argument: letters each with an optional size (x1, o2, d4, c). */
static bool parse_types(const char *s)
{
    while (*s) {
        char kind = *s++;
        int size = kind == 'c' ? 1 : sizeof(int);
        if (kind != 'c' && *s >= '0' && *s <= '9')
            size = (int)strtol(s, (char **)&s, 10);
        else if (*s == 'C' || *s == 'S' || *s == 'I' || *s == 'L')
            size = *s == 'C' ? 1 : *s == 'S' ? 2 : *s == 'I' ? 4 : 8, s++;
        if (!add_type(kind, size))
            return false;
    }
    return true;
}

static void print_char(unsigned char c, int width)
{
    static const char from[] = "\a\b\f\n\r\t\v", to[] = "abfnrtv";
    const char *e = c ? memchr(from, c, sizeof from - 1) : NULL;
    if (c == 0)
        printf("%*s", width, "\\0");
    else if (e)
        printf("%*s\\%c", width - 2, "", to[e - from]);
    else if (c >= ' ' && c < 0x7f)
        printf("%*c", width, c);
    else
        printf("%*s%03o", width - 3, "", c);
}

static void print_value(const struct type *t, const unsigned char *p)
{
    uint64_t v = 0;
    for (int i = t->size - 1; i >= 0; i--)
        v = v << BITS | p[i];
    if (t->kind == 'c') {
        print_char(p[0], t->width);
    } else if (t->kind == 'd') {
        int shift = (int)(sizeof v * BITS) - t->size * BITS;
        long long s = (long long)(v << shift) >> shift;
        printf("%*lld", t->width, s);
    } else if (t->kind == 'u') {
        printf("%*llu", t->width, (unsigned long long)v);
    } else { /* octal and hex are padded with zeros, after one space */
        printf(t->kind == 'o' ? " %0*llo" : " %0*llx", t->width - 1,
               (unsigned long long)v);
    }
}

static void print_offset(unsigned long long off)
{
    if (radix == 'o')
        printf("%07llo", off);
    else if (radix == 'x')
        printf("%06llx", off);
    else if (radix == 'd')
        printf("%07llu", off);
}

static void print_line(const unsigned char *line, size_t n,
                       unsigned long long off)
{
    for (int t = 0; t < ntypes; t++) {
        if (t == 0)
            print_offset(off);
        else if (radix != 'n')
            printf("%*s", radix == 'x' ? 6 : 7, "");
        for (size_t i = 0; i < n; i += (size_t)types[t].size)
            print_value(&types[t], line + i);
        putchar('\n');
    }
}

/* The next byte of the inputs in turn, or EOF; sets *status on errors. */
static int next_byte(char ***files, int *nfiles, FILE **f, int *status)
{
    for (;;) {
        if (*f) {
            int c = getc(*f);
            if (c != EOF)
                return c;
            if (*f != stdin)
                fclose(*f);
            *f = NULL;
        }
        if (*nfiles == 0)
            return EOF;
        const char *name = *(*files)++;
        (*nfiles)--;
        *f = strcmp(name, "-") == 0 ? stdin : fopen(name, "r");
        if (!*f) {
            fprintf(stderr, "od: %s: %s\n", name, strerror(errno));
            *status = 1;
        }
    }
}

static void parse_options(int argc, char **argv, long long *skip,
                          long long *count, bool *all)
{
    int o;
    while ((o = getopt(argc, argv, "A:t:bcdoxvj:N:")) != -1) {
        bool ok = true;
        if (o == 'A')
            ok = strchr("oxdn", optarg[0]) && !optarg[1] && (radix = optarg[0]);
        else if (o == 't')
            ok = parse_types(optarg);
        else if (o == 'b' || o == 'c')
            ok = add_type(o == 'b' ? 'o' : 'c', 1);
        else if (o == 'd' || o == 'o' || o == 'x')
            ok = add_type(o == 'd' ? 'u' : o, 2);
        else if (o == 'v')
            *all = true;
        else if (o == 'j' || o == 'N')
            *(o == 'j' ? skip : count) = strtoll(optarg, NULL, 0);
        else
            ok = false;
        if (!ok)
            usage_fail(USAGE, 1);
    }
    if (ntypes == 0)
        add_type('o', 2);
}

int main(int argc, char **argv)
{
    usage_help(argc, argv, USAGE);
    long long skip = 0, count = -1;
    bool all = false;
    parse_options(argc, argv, &skip, &count, &all);
    static char *stdin_only[] = {"-"};
    char **files = optind < argc ? argv + optind : stdin_only;
    int nfiles = optind < argc ? argc - optind : 1, status = 0;
    FILE *f = NULL;
    for (long long i = 0;
         i < skip && next_byte(&files, &nfiles, &f, &status) != EOF; i++)
        ;
    unsigned char line[OD_LINE], prev[OD_LINE];
    unsigned long long off = (unsigned long long)skip;
    bool starred = false, have_prev = false;
    for (;;) {
        size_t n = 0;
        int c;
        while (n < OD_LINE && count != 0 &&
               (c = next_byte(&files, &nfiles, &f, &status)) != EOF) {
            line[n++] = (unsigned char)c;
            count -= count > 0;
        }
        if (n == 0)
            break;
        if (!all && have_prev && n == OD_LINE && !memcmp(line, prev, n)) {
            if (!starred)
                puts("*");
            starred = true;
        } else {
            memset(line + n, 0, OD_LINE - n); /* a partial value: zeros */
            print_line(line, n, off);
            starred = false;
        }
        memcpy(prev, line, OD_LINE);
        have_prev = true;
        off += n;
        if (n < OD_LINE)
            break;
    }
    print_offset(off);
    if (radix != 'n')
        putchar('\n');
    return status;
}
