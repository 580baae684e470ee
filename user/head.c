/*
 * head: the first lines of files (10 unless -n says otherwise).
 *
 * With several files each is preceded by GNU's header "==> name <==",
 * with a blank line between files. Reading stops as soon as enough lines
 * have been printed, so `head` of a huge file or an endless pipe is quick.
 *
 * See: docs/userland.md
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define HEAD_DEFAULT 10

static int head(FILE *f, const char *name, long lines)
{
    int c;
    while (lines > 0 && (c = getc(f)) != EOF) {
        putchar(c);
        if (c == '\n')
            lines--;
    }
    if (ferror(f)) {
        fprintf(stderr, "head: %s: %s\n", name, strerror(errno));
        return 1;
    }
    return 0;
}

static bool parse_count(const char *s, long *out)
{
    char *end;
    *out = strtol(s, &end, 10);
    return *s && !*end && *out >= 0;
}

int main(int argc, char **argv)
{
    long lines = HEAD_DEFAULT;
    int opt;
    while ((opt = getopt(argc, argv, "n:")) != -1) {
        if (opt != 'n' || !parse_count(optarg, &lines)) {
            fprintf(stderr, "usage: head [-n lines] [file...]\n");
            return 1;
        }
    }
    if (optind == argc)
        return head(stdin, "standard input", lines);
    int status = 0;
    bool many = argc - optind > 1, first = true;
    for (int i = optind; i < argc; i++) {
        bool dash = strcmp(argv[i], "-") == 0;
        FILE *f = dash ? stdin : fopen(argv[i], "r");
        if (!f) {
            fprintf(stderr, "head: cannot open '%s' for reading: %s\n", argv[i],
                    strerror(errno));
            status = 1;
            continue;
        }
        if (many)
            printf("%s==> %s <==\n", first ? "" : "\n",
                   dash ? "standard input" : argv[i]);
        first = false;
        status |= head(f, argv[i], lines);
        if (!dash)
            fclose(f);
    }
    return status;
}
