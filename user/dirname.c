/*
 * dirname: a path's folder part ("." when there is none).
 *
 * POSIX's steps: trailing slashes go, then the last component, then the
 * slashes before it; what is left, or "/" or ".", is printed.
 *
 * See: docs/userland.md
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "usage.h"

#define USAGE "usage: dirname path...\n"

static void print_dir(char *path)
{
    size_t len = strlen(path);
    while (len > 1 && path[len - 1] == '/')
        len--;
    while (len > 0 && path[len - 1] != '/')
        len--;
    if (len == 0) {
        puts(path[0] == '/' ? "/" : ".");
        return;
    }
    while (len > 1 && path[len - 1] == '/')
        len--;
    printf("%.*s\n", (int)len, path);
}

int main(int argc, char **argv)
{
    usage_help(argc, argv, USAGE);
    if (getopt(argc, argv, "") != -1 || optind == argc)
        usage_fail(USAGE, 1);
    for (int i = optind; i < argc; i++)
        print_dir(argv[i]);
    return 0;
}
