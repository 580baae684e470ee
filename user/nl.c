/*
 * nl: lines of files with numbers before them.
 *
 * GNU's defaults: the non-empty lines are numbered (-b t; -b a numbers
 * all, -b n none), right-aligned in 6 columns (-w), then a tab (-s); an
 * unnumbered line gets as many spaces instead. -n ln, rn and rz align the
 * number left, right, or right with zeros. Numbering goes on across
 * files; every line printed ends with a newline.
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
    "usage: nl [-b a|t|n] [-n ln|rn|rz] [-w width] [-s sep] [-v start]\n"      \
    "          [-i incr] [file...]\n"

static struct {
    char body;       /* 'a', 't' or 'n' */
    const char *fmt; /* "%-*ld", "%*ld" or "%0*ld" */
    int width;
    const char *sep;
    long next, incr;
} opt = {'t', "%*ld", 6, "\t", 1, 1};

static int nl_file(FILE *f, void *ctx)
{
    (void)ctx;
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    while ((n = getline(&line, &cap, f)) >= 0) {
        size_t len = (size_t)n - (n > 0 && line[n - 1] == '\n');
        bool numbered = opt.body == 'a' || (opt.body == 't' && len > 0);
        if (numbered) {
            printf(opt.fmt, opt.width, opt.next);
            fputs(opt.sep, stdout);
            opt.next += opt.incr;
        } else {
            printf("%*s", opt.width + (int)strlen(opt.sep), "");
        }
        fwrite(line, 1, len, stdout);
        putchar('\n');
    }
    free(line);
    return 0;
}

static bool parse_long(const char *s, long *out)
{
    char *end;
    *out = strtol(s, &end, 10);
    return *s && !*end;
}

int main(int argc, char **argv)
{
    usage_help(argc, argv, USAGE);
    int o;
    long w;
    while ((o = getopt(argc, argv, "b:n:w:s:v:i:")) != -1) {
        if (o == 'b' && strchr("atn", optarg[0]) && optarg[0] && !optarg[1])
            opt.body = optarg[0];
        else if (o == 'n' && strcmp(optarg, "ln") == 0)
            opt.fmt = "%-*ld";
        else if (o == 'n' && strcmp(optarg, "rn") == 0)
            opt.fmt = "%*ld";
        else if (o == 'n' && strcmp(optarg, "rz") == 0)
            opt.fmt = "%0*ld";
        else if (o == 'w' && parse_long(optarg, &w) && w > 0 && w < 100)
            opt.width = (int)w;
        else if (o == 's')
            opt.sep = optarg;
        else if (o == 'v' && parse_long(optarg, &opt.next))
            continue;
        else if (o == 'i' && parse_long(optarg, &opt.incr))
            continue;
        else
            usage_fail(USAGE, 1);
    }
    return io_each_stream("nl", argc - optind, argv + optind, nl_file, NULL);
}
