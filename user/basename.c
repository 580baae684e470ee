/*
 * basename: a path without its folders (and without a suffix, if given).
 *
 * POSIX's steps: trailing slashes go, then everything up to the last
 * slash; "/" stays "/". A suffix is removed only when something is left.
 * -a takes every operand as a path, -s SUFFIX implies -a.
 *
 * See: docs/userland.md
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "usage.h"

#define USAGE                                                                  \
    "usage: basename path [suffix]\n"                                          \
    "       basename -a [-s suffix] path...\n"

static void print_base(char *path, const char *suffix)
{
    size_t len = strlen(path);
    while (len > 1 && path[len - 1] == '/')
        len--;
    path[len] = '\0';
    char *base = path;
    if (len > 1) {
        char *slash = strrchr(path, '/');
        if (slash)
            base = slash + 1;
    }
    size_t blen = strlen(base), slen = suffix ? strlen(suffix) : 0;
    if (slen && slen < blen && strcmp(base + blen - slen, suffix) == 0)
        base[blen - slen] = '\0';
    puts(base);
}

int main(int argc, char **argv)
{
    usage_help(argc, argv, USAGE);
    bool all = false;
    const char *suffix = NULL;
    int opt;
    while ((opt = getopt(argc, argv, "as:")) != -1) {
        if (opt == 'a') {
            all = true;
        } else if (opt == 's') {
            all = true;
            suffix = optarg;
        } else {
            usage_fail(USAGE, 1);
        }
    }
    int n = argc - optind;
    if (n < 1 || (!all && n > 2))
        usage_fail(USAGE, 1);
    if (!all) {
        print_base(argv[optind], n == 2 ? argv[optind + 1] : NULL);
        return 0;
    }
    for (int i = optind; i < argc; i++)
        print_base(argv[i], suffix);
    return 0;
}
