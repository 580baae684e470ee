/*
 * rev: each line of files (or standard input) with its bytes reversed.
 *
 * The newline stays at the end; a last line without one is reversed
 * too and printed without one, as util-linux's rev does.
 *
 * See: docs/userland.md
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "io.h"
#include "usage.h"

#define USAGE "usage: rev [file...]\n"

static int rev_file(FILE *f, void *ctx)
{
    (void)ctx;
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    while ((n = getline(&line, &cap, f)) > 0) {
        size_t len = (size_t)n;
        int nl = line[len - 1] == '\n';
        len -= (size_t)nl;
        for (size_t i = 0; i < len / 2; i++) {
            char t = line[i];
            line[i] = line[len - 1 - i];
            line[len - 1 - i] = t;
        }
        fwrite(line, 1, (size_t)n, stdout);
    }
    free(line);
    return 0;
}

int main(int argc, char **argv)
{
    usage_help(argc, argv, USAGE);
    if (getopt(argc, argv, "") != -1)
        usage_fail(USAGE, 1);
    return io_each_stream("rev", argc - optind, argv + optind, rev_file, NULL);
}
