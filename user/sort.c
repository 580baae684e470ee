/*
 * sort: the lines of files (or standard input), sorted.
 *
 * All input is read into an array of lines (lines_read_path()) and sorted
 * with qsort. Lines compare by their key: the whole line, or -k's fields
 * (-t's separator, else GNU's fields: a run of blanks starts a field);
 * -n compares the key's leading number, -f folds case, -b skips leading
 * blanks, -r reverses. Lines whose keys are equal then compare as whole
 * lines byte by byte, as GNU's "last resort" does, and finally by input
 * order, so the sort is stable. -u prints only the first line of each run
 * of equal keys, and -o writes to a file (which may be an input).
 *
 * See: docs/userland.md
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "io.h"
#include "lines.h"
#include "usage.h"

#define USAGE                                                                  \
    "usage: sort [-bfnru] [-t c] [-k field[,field]] [-o file] [file...]\n"
#define SORT_USAGE 2 /* GNU sort's status for bad usage and errors */
#define FILE_MODE  0666

#define KEYS_MAX 8

/* How one key compares: the whole line, or -k's fields. */
struct key {
    long from, to; /* 1-based fields; 0: the line's start or end */
    bool numeric, fold, blanks, reverse;
    bool own; /* has flags of its own; else it takes the global ones */
};

static struct {
    struct key global; /* the flags given alone, for keys with none */
    bool unique;
    int sep; /* -t's byte, or -1 for blank-separated fields */
    struct key keys[KEYS_MAX];
    int nkeys;
} opt = {.sep = -1};

struct item {
    struct line *line;
    size_t index;
};

/* Where field n (1-based) starts in s, or the end of s. */
static const char *field_start(const char *s, const char *end, long n)
{
    for (long f = 1; f < n && s < end; f++) {
        if (opt.sep >= 0) {
            const char *c = memchr(s, opt.sep, (size_t)(end - s));
            s = c ? c + 1 : end;
            continue;
        }
        while (s < end && isblank((unsigned char)*s))
            s++;
        while (s < end && !isblank((unsigned char)*s))
            s++;
    }
    return s;
}

/* Where field n ends: its last byte's successor. */
static const char *field_end(const char *s, const char *end, long n)
{
    s = field_start(s, end, n);
    if (opt.sep >= 0) {
        const char *c = memchr(s, opt.sep, (size_t)(end - s));
        return c ? c : end;
    }
    while (s < end && isblank((unsigned char)*s))
        s++;
    while (s < end && !isblank((unsigned char)*s))
        s++;
    return s;
}

static void key_of(const struct key *k, const struct line *l, const char **from,
                   const char **to)
{
    const char *s = l->text, *end = l->text + l->len;
    *from = k->from ? field_start(s, end, k->from) : s;
    *to = k->to ? field_end(s, end, k->to) : end;
    if (*to < *from)
        *to = *from;
    if (k->blanks || k->numeric)
        while (*from < *to && isblank((unsigned char)**from))
            (*from)++;
}

/* The key's leading number, GNU's -n: [-]digits[.digits], else 0. */
static long double number_of(const char *s, const char *end)
{
    char buf[128];
    size_t n = 0;
    if (s < end && *s == '-')
        buf[n++] = *s++;
    while (s < end && n < sizeof buf - 1 &&
           (isdigit((unsigned char)*s) || *s == '.'))
        buf[n++] = *s++;
    buf[n] = '\0';
    return strtold(buf, NULL);
}

static int compare_key(const struct key *k, const struct line *a,
                       const struct line *b)
{
    const char *af, *at, *bf, *bt;
    key_of(k, a, &af, &at);
    key_of(k, b, &bf, &bt);
    if (k->numeric) {
        long double x = number_of(af, at), y = number_of(bf, bt);
        return x < y ? -1 : x > y;
    }
    size_t al = (size_t)(at - af), bl = (size_t)(bt - bf);
    for (size_t i = 0; i < al && i < bl; i++) {
        int x = (unsigned char)af[i], y = (unsigned char)bf[i];
        if (k->fold) {
            x = toupper(x);
            y = toupper(y);
        }
        if (x != y)
            return x - y;
    }
    return al < bl ? -1 : al > bl;
}

/* The keys in order, each reversed by its own -r. */
static int compare_keys(const struct line *a, const struct line *b)
{
    for (int i = 0; i < opt.nkeys; i++) {
        int c = compare_key(&opt.keys[i], a, b);
        if (c)
            return opt.keys[i].reverse ? -c : c;
    }
    return 0;
}

static int compare_lines(const struct line *a, const struct line *b)
{
    size_t n = a->len < b->len ? a->len : b->len;
    int c = memcmp(a->text, b->text, n);
    return c ? c : a->len < b->len ? -1 : a->len > b->len;
}

static int compare_items(const void *pa, const void *pb)
{
    const struct item *a = pa, *b = pb;
    int c = compare_keys(a->line, b->line);
    if (c == 0 && !opt.unique)
        c = opt.global.reverse ? -compare_lines(a->line, b->line)
                               : compare_lines(a->line, b->line);
    if (c == 0)
        c = a->index < b->index ? -1 : 1;
    return c;
}

/* -k F[.C][,F[.C]] with letters after: fields only (columns ignored). */
/* Reads key flags (n r f b) at s into k; returns where they stop. */
static const char *key_flags(const char *s, struct key *k, bool *any)
{
    for (;; s++) {
        if (*s == 'n')
            k->numeric = true;
        else if (*s == 'r')
            k->reverse = true;
        else if (*s == 'f')
            k->fold = true;
        else if (*s == 'b')
            k->blanks = true;
        else
            return s;
        *any = true;
    }
}

static bool parse_key(const char *s)
{
    if (opt.nkeys == KEYS_MAX)
        return false;
    struct key *k = &opt.keys[opt.nkeys++];
    bool any = false;
    char *end;
    k->from = strtol(s, &end, 10);
    if (end == s || k->from < 1)
        return false;
    end += strspn(end, ".0123456789");
    end = (char *)key_flags(end, k, &any);
    if (*end == ',') {
        k->to = strtol(end + 1, &end, 10);
        end += strspn(end, ".0123456789");
        end = (char *)key_flags(end, k, &any);
    }
    k->own = any;
    return *end == '\0' && k->to >= 0;
}

static void parse_options(int argc, char **argv, const char **output)
{
    int o;
    while ((o = getopt(argc, argv, "bfnrusk:t:o:")) != -1) {
        if (o == 'b')
            opt.global.blanks = true;
        else if (o == 'f')
            opt.global.fold = true;
        else if (o == 'n')
            opt.global.numeric = true;
        else if (o == 'r')
            opt.global.reverse = true;
        else if (o == 'u')
            opt.unique = true;
        else if (o == 'k' && parse_key(optarg))
            continue;
        else if (o == 't' && optarg[0] && !optarg[1])
            opt.sep = (unsigned char)optarg[0];
        else if (o == 'o')
            *output = optarg;
        else if (o != 's')
            usage_fail(USAGE, SORT_USAGE);
    }
    if (opt.nkeys == 0)
        opt.keys[opt.nkeys++] = opt.global;
    for (int i = 0; i < opt.nkeys; i++) {
        struct key *k = &opt.keys[i];
        if (!k->own) { /* GNU: global flags, wherever they were given */
            long from = k->from, to = k->to;
            *k = opt.global;
            k->from = from;
            k->to = to;
        }
    }
}

static int write_sorted(struct item *items, size_t n, const char *output)
{
    int fd = STDOUT_FILENO;
    if (output) {
        fd = open(output, O_WRONLY | O_CREAT | O_TRUNC, FILE_MODE);
        if (fd < 0) {
            fprintf(stderr, "sort: open failed: %s: %s\n", output,
                    strerror(errno));
            return SORT_USAGE;
        }
    }
    FILE *out = fdopen(fd, "w");
    for (size_t i = 0; out && i < n; i++) {
        if (opt.unique && i > 0 &&
            compare_keys(items[i - 1].line, items[i].line) == 0)
            continue;
        fwrite(items[i].line->text, 1, items[i].line->len, out);
        putc('\n', out);
    }
    if (!out || fclose(out) != 0) {
        fprintf(stderr, "sort: write failed: %s\n", strerror(errno));
        return SORT_USAGE;
    }
    return 0;
}

int main(int argc, char **argv)
{
    usage_help(argc, argv, USAGE);
    const char *output = NULL;
    parse_options(argc, argv, &output);
    struct lines all = {0};
    static char *stdin_only[] = {"-"};
    char **files = optind < argc ? argv + optind : stdin_only;
    int nfiles = optind < argc ? argc - optind : 1;
    for (int i = 0; i < nfiles; i++) {
        int err = lines_read_path(&all, files[i]);
        if (err < 0) {
            fprintf(stderr, "sort: %s: %s\n", files[i], strerror(-err));
            return SORT_USAGE;
        }
    }
    struct item *items = calloc(all.count + 1, sizeof *items);
    if (!items) {
        fprintf(stderr, "sort: %s\n", strerror(ENOMEM));
        return SORT_USAGE;
    }
    for (size_t i = 0; i < all.count; i++)
        items[i] = (struct item){.line = &all.v[i], .index = i};
    qsort(items, all.count, sizeof *items, compare_items);
    return write_sorted(items, all.count, output);
}
