/*
 * cmp: compares two files byte by byte; says where they first differ.
 *
 * Status 0 when they are equal, 1 when they differ, 2 on trouble, as
 * GNU's. The first difference is printed as "a b differ: char N, line
 * M"; with -l every differing byte is listed ("N octal octal", the offset
 * as wide as the smaller file's size has digits), and with -s nothing is
 * printed. When one file is a prefix of the other, "EOF on a" goes to
 * standard error and the status is 1.
 *
 * See: docs/userland.md
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "usage.h"

#define USAGE       "usage: cmp [-l | -s] file1 [file2]\n"
#define CMP_TROUBLE 2

static FILE *open_input(const char *name)
{
    if (strcmp(name, "-") == 0)
        return stdin;
    FILE *f = fopen(name, "r");
    if (!f) {
        fprintf(stderr, "cmp: %s: %s\n", name, strerror(errno));
        _exit(CMP_TROUBLE);
    }
    return f;
}

/* -l's offset column: the digits of the smaller regular file's size. */
static int offset_width(FILE *a, FILE *b)
{
    struct stat sa, sb;
    long long size = -1;
    if (fstat(fileno(a), &sa) == 0 && S_ISREG(sa.st_mode))
        size = sa.st_size;
    if (fstat(fileno(b), &sb) == 0 && S_ISREG(sb.st_mode) &&
        (size < 0 || sb.st_size < size))
        size = sb.st_size;
    int width = 1;
    for (; size >= 10; size /= 10)
        width++;
    return width;
}

int main(int argc, char **argv)
{
    usage_help(argc, argv, USAGE);
    bool list = false, silent = false;
    int opt;
    while ((opt = getopt(argc, argv, "ls")) != -1) {
        if (opt == 'l')
            list = true;
        else if (opt == 's')
            silent = true;
        else
            usage_fail(USAGE, CMP_TROUBLE);
    }
    int n = argc - optind;
    if (n < 1 || n > 2)
        usage_fail(USAGE, CMP_TROUBLE);
    const char *na = argv[optind], *nb = n == 2 ? argv[optind + 1] : "-";
    FILE *a = open_input(na), *b = open_input(nb);
    int width = list ? offset_width(a, b) : 0;
    long long byte = 1, line = 1;
    int status = 0;
    for (;; byte++) {
        int ca = getc(a), cb = getc(b);
        if (ca == EOF || cb == EOF) {
            if (ca != cb) {
                if (!silent)
                    fprintf(stderr, "cmp: EOF on %s after byte %lld\n",
                            ca == EOF ? na : nb, byte - 1);
                status = 1;
            }
            break;
        }
        if (ca != cb) {
            status = 1;
            if (silent)
                break;
            if (!list) {
                printf("%s %s differ: char %lld, line %lld\n", na, nb, byte,
                       line);
                break;
            }
            printf("%*lld %3o %3o\n", width, byte, ca, cb);
        }
        line += ca == '\n';
    }
    if (ferror(a) || ferror(b)) {
        fprintf(stderr, "cmp: read error\n");
        return CMP_TROUBLE;
    }
    return status;
}
