/*
 * cut: selected bytes (-b, -c) or fields (-f) of each line.
 *
 * A list is ranges separated by commas: N, N-M, N- and -M, 1-based, in
 * any order; what is selected is printed in the line's own order, once.
 * Fields are separated by -d's byte (a tab by default) and printed joined
 * by it; a line without the separator is printed whole unless -s. In the
 * C locale a character is a byte, so -c is -b.
 *
 * See: docs/userland.md
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "io.h"
#include "usage.h"

#define USAGE                                                                  \
    "usage: cut -b list [file...]\n"                                           \
    "       cut -c list [file...]\n"                                           \
    "       cut -f list [-d c] [-s] [file...]\n"
#define RANGES_MAX 64
#define OPEN_END   ((size_t)-1)

static struct {
    size_t from, to; /* 1-based, inclusive */
} ranges[RANGES_MAX];
static int nranges;
static bool fields, only_delimited;
static char delim = '\t';

static bool parse_list(const char *s)
{
    while (*s) {
        if (nranges == RANGES_MAX)
            return false;
        char *end;
        size_t from = 1, to;
        if (*s != '-') {
            from = strtoul(s, &end, 10);
            if (end == s || from == 0)
                return false;
            s = end;
        }
        to = from;
        if (*s == '-') {
            s++;
            to = OPEN_END;
            if (*s >= '0' && *s <= '9') {
                to = strtoul(s, &end, 10);
                s = end;
            }
        }
        if (to < from)
            return false;
        ranges[nranges].from = from;
        ranges[nranges++].to = to;
        if (*s == ',')
            s++;
        else if (*s)
            return false;
    }
    return nranges > 0;
}

static bool selected(size_t n)
{
    for (int i = 0; i < nranges; i++)
        if (n >= ranges[i].from && n <= ranges[i].to)
            return true;
    return false;
}

static void cut_fields(const char *s, size_t len)
{
    if (!memchr(s, delim, len)) {
        if (!only_delimited) {
            fwrite(s, 1, len, stdout);
            putchar('\n');
        }
        return;
    }
    bool first = true;
    size_t n = 1;
    for (const char *end = s + len; s <= end; n++) {
        const char *d = memchr(s, delim, (size_t)(end - s));
        const char *stop = d ? d : end;
        if (selected(n)) {
            if (!first)
                putchar(delim);
            fwrite(s, 1, (size_t)(stop - s), stdout);
            first = false;
        }
        if (!d)
            break;
        s = d + 1;
    }
    putchar('\n');
}

static int cut_file(FILE *f, void *ctx)
{
    (void)ctx;
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    while ((n = getline(&line, &cap, f)) >= 0) {
        size_t len = (size_t)n - (n > 0 && line[n - 1] == '\n');
        if (fields) {
            cut_fields(line, len);
            continue;
        }
        for (size_t i = 0; i < len; i++)
            if (selected(i + 1))
                putchar(line[i]);
        putchar('\n');
    }
    free(line);
    return 0;
}

int main(int argc, char **argv)
{
    usage_help(argc, argv, USAGE);
    int opt, lists = 0;
    while ((opt = getopt(argc, argv, "b:c:f:d:sn")) != -1) {
        if (opt == 'b' || opt == 'c' || opt == 'f') {
            fields = opt == 'f';
            lists++;
            if (!parse_list(optarg)) {
                fprintf(stderr, "cut: invalid list '%s'\n", optarg);
                usage_fail(USAGE, 1);
            }
        } else if (opt == 'd' && optarg[0] && !optarg[1]) {
            delim = optarg[0];
        } else if (opt == 's') {
            only_delimited = true;
        } else if (opt != 'n') {
            usage_fail(USAGE, 1);
        }
    }
    if (lists != 1)
        usage_fail(USAGE, 1);
    return io_each_stream("cut", argc - optind, argv + optind, cut_file, NULL);
}
