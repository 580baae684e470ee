/*
 * grep: prints the lines that match a regular expression.
 *
 * The pattern is a POSIX basic regular expression compiled by musl's
 * regcomp() (-E: extended). -i ignores case, -v selects the lines that do
 * not match, -n puts the line number before each, -c prints only the
 * count. With several files each line (or count) starts with "name:", as
 * GNU grep does. The status is 0 if a line was selected, 1 if none, 2 on
 * an error, also as GNU's.
 *
 * See: docs/userland.md
 */
#include <errno.h>
#include <regex.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "usage.h"

#define GREP_ERROR 2

static bool invert, numbers, count_only;

/* Scans one file; returns the number of lines selected, -1 on error. */
static long grep(regex_t *re, FILE *f, const char *name, bool show_name)
{
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    long selected = 0, line_no = 0;
    while ((len = getline(&line, &cap, f)) >= 0) {
        line_no++;
        if (len > 0 && line[len - 1] == '\n')
            line[--len] = '\0';
        bool match = regexec(re, line, 0, NULL, 0) == 0;
        if (match == invert)
            continue;
        selected++;
        if (count_only)
            continue;
        if (show_name)
            printf("%s:", name);
        if (numbers)
            printf("%ld:", line_no);
        fwrite(line, 1, (size_t)len, stdout);
        putchar('\n');
    }
    free(line);
    if (ferror(f)) {
        fprintf(stderr, "grep: %s: %s\n", name, strerror(errno));
        return -1;
    }
    if (count_only) {
        if (show_name)
            printf("%s:", name);
        printf("%ld\n", selected);
    }
    return selected;
}

int main(int argc, char **argv)
{
    usage_help(argc, argv, "usage: grep [-icnvE] pattern [file...]\n");
    int flags = REG_NOSUB, opt;
    while ((opt = getopt(argc, argv, "ivncE")) != -1) {
        switch (opt) {
        case 'i':
            flags |= REG_ICASE;
            break;
        case 'v':
            invert = true;
            break;
        case 'n':
            numbers = true;
            break;
        case 'c':
            count_only = true;
            break;
        case 'E':
            flags |= REG_EXTENDED;
            break;
        default:
            fprintf(stderr, "usage: grep [-icnvE] pattern [file...]\n");
            return GREP_ERROR;
        }
    }
    if (optind == argc) {
        fprintf(stderr, "usage: grep [-icnvE] pattern [file...]\n");
        return GREP_ERROR;
    }
    regex_t re;
    int err = regcomp(&re, argv[optind++], flags);
    if (err != 0) {
        char msg[256];
        regerror(err, &re, msg, sizeof msg);
        fprintf(stderr, "grep: %s\n", msg);
        return GREP_ERROR;
    }
    bool show_name = argc - optind > 1, error = false;
    long total = 0;
    if (optind == argc)
        total = grep(&re, stdin, "(standard input)", false);
    for (int i = optind; i < argc; i++) {
        FILE *f = strcmp(argv[i], "-") == 0 ? stdin : fopen(argv[i], "r");
        if (!f) {
            fprintf(stderr, "grep: %s: %s\n", argv[i], strerror(errno));
            error = true;
            continue;
        }
        long n = grep(&re, f, argv[i], show_name);
        error |= n < 0;
        total += n > 0 ? n : 0;
        if (f != stdin)
            fclose(f);
    }
    regfree(&re);
    fflush(stdout);
    return error ? GREP_ERROR : total > 0 ? 0 : 1;
}
