/*
 * uniq: a file's lines with each run of equal adjacent lines made one.
 *
 * Only neighbours are compared (sort first for all duplicates). -c puts
 * the run's length before each line as GNU does ("%7lu "), -d prints only
 * lines that repeat, -u only those that do not, -i ignores case. The
 * output goes to standard output or to a second operand.
 *
 * See: docs/userland.md
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "usage.h"

#define USAGE "usage: uniq [-cdui] [input [output]]\n"

static bool count, dups_only, uniques_only, fold;

static bool same(const char *a, size_t alen, const char *b, size_t blen)
{
    if (alen != blen)
        return false;
    return fold ? strncasecmp(a, b, alen) == 0 : memcmp(a, b, alen) == 0;
}

static void emit(FILE *out, const char *s, size_t len, unsigned long n)
{
    if ((dups_only && n < 2) || (uniques_only && n > 1))
        return;
    if (count)
        fprintf(out, "%7lu ", n);
    fwrite(s, 1, len, out);
    putc('\n', out);
}

static void uniq(FILE *in, FILE *out)
{
    char *prev = NULL, *line = NULL;
    size_t prev_cap = 0, cap = 0, prev_len = 0;
    unsigned long run = 0;
    ssize_t n;
    while ((n = getline(&line, &cap, in)) >= 0) {
        size_t len = (size_t)n - (n > 0 && line[n - 1] == '\n');
        if (run > 0 && same(prev, prev_len, line, len)) {
            run++;
            continue;
        }
        if (run > 0)
            emit(out, prev, prev_len, run);
        char *t = prev; /* the new line becomes prev, keeping both buffers */
        prev = line;
        line = t;
        size_t c = prev_cap;
        prev_cap = cap;
        cap = c;
        prev_len = len;
        run = 1;
    }
    if (run > 0)
        emit(out, prev, prev_len, run);
    free(prev);
    free(line);
}

int main(int argc, char **argv)
{
    usage_help(argc, argv, USAGE);
    int opt;
    while ((opt = getopt(argc, argv, "cdui")) != -1) {
        if (opt == 'c')
            count = true;
        else if (opt == 'd')
            dups_only = true;
        else if (opt == 'u')
            uniques_only = true;
        else if (opt == 'i')
            fold = true;
        else
            usage_fail(USAGE, 1);
    }
    if (argc - optind > 2)
        usage_fail(USAGE, 1);
    FILE *in = stdin, *out = stdout;
    const char *in_name = optind < argc ? argv[optind] : "-";
    if (strcmp(in_name, "-") != 0 && !(in = fopen(in_name, "r"))) {
        fprintf(stderr, "uniq: %s: %s\n", in_name, strerror(errno));
        return 1;
    }
    if (argc - optind == 2 && !(out = fopen(argv[optind + 1], "w"))) {
        fprintf(stderr, "uniq: %s: %s\n", argv[optind + 1], strerror(errno));
        return 1;
    }
    uniq(in, out);
    return fclose(out) == 0 ? 0 : 1;
}
