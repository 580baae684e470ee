/*
 * --help and the usage error shared by the programs of /bin.
 *
 * "--help" after "--" is an operand (`grep -- --help f` looks for it), as
 * in GNU's getopt.
 *
 * See: docs/userland.md
 */
#include "usage.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void usage_help(int argc, char **argv, const char *usage)
{
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--") == 0)
            return;
        if (strcmp(argv[i], "--help") == 0) {
            fputs(usage, stdout);
            exit(0);
        }
    }
}

void usage_fail(const char *usage, int status)
{
    fputs(usage, stderr);
    exit(status);
}

void usage_number_option(int argc, char **argv)
{
    if (argc < 2 || argv[1][0] != '-' || !argv[1][1] ||
        strspn(argv[1] + 1, "0123456789") != strlen(argv[1] + 1))
        return;
    size_t len = strlen(argv[1]) + 2;
    char *opt = malloc(len);
    if (!opt)
        return; /* getopt then reports -1 as an unknown option */
    snprintf(opt, len, "-n%s", argv[1] + 1);
    argv[1] = opt;
}
