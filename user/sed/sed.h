/*
 * What sed's two files share: the parsed script.
 *
 * parse.c turns the script text into an array of commands once; run.c
 * reads the input a line at a time and runs every command on it.
 *
 * See: docs/userland.md
 */
#pragma once

#include <regex.h>
#include <stdbool.h>
#include <stdio.h>

#define SED_BYTES 256

enum addr_kind { ADDR_NONE, ADDR_LINE, ADDR_LAST, ADDR_RE };

struct addr {
    enum addr_kind kind;
    long line;
    regex_t re;
};

struct cmd {
    struct addr a1, a2; /* a2 set: a range from a1 to a2 */
    bool negate;        /* addr! */
    bool in_range;      /* between a1 and a2 right now */
    char name;          /* s d p q y = a i c */
    /* s: */
    regex_t re;
    char *repl;
    bool global, print;
    long nth;
    FILE *wfile;
    /* y: */
    unsigned char map[SED_BYTES];
    /* a, i, c: */
    char *text;
};

struct script {
    struct cmd *v;
    int count, cap;
    bool extended; /* -E: the regular expressions are ERE */
};

/* Appends the commands of text to s. Prints the error and exits 1 on a
 * bad script, as GNU sed does. */
void sed_parse(struct script *s, const char *text);

/*
 * Runs the script over one stream of lines (the files named, one after
 * another, or each file alone for -i), writing to out; $ is the stream's
 * last line. Returns 0 or 1 (a file could not be read), with SED_QUIT
 * added after q.
 */
int sed_run(struct script *s, char **files, int nfiles, FILE *out, bool quiet);

#define SED_QUIT 0x100
