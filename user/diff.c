/*
 * diff: the lines that differ between two files.
 *
 * The files are read as arrays of lines (lines_read_path()) and compared
 * with Myers' O(ND) algorithm ("An O(ND) Difference Algorithm and Its
 * Variations", 1986): for d = 0, 1, ... it finds the furthest point each
 * diagonal reaches with d edits, keeping each step's frontier so the path
 * can be walked back. The path becomes a list of hunks, printed in the
 * normal format ("3c3", "< old", "---", "> new") or, with -u, the unified
 * one with 3 lines of context (-U N for N). -q only says whether they
 * differ. The status is 0 for equal files, 1 for different, 2 on trouble.
 *
 * See: docs/userland.md
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "lines.h"
#include "usage.h"

#define USAGE        "usage: diff [-q] [-u | -U lines] file1 file2\n"
#define DIFF_TROUBLE 2
#define DIFF_CONTEXT 3

/* One edit of the path: a line kept, deleted from a or inserted from b. */
enum op { KEEP, DEL, INS };

static struct lines a, b;
static enum op *ops;
static size_t nops;

__attribute__((noreturn)) static void no_memory(void)
{
    fputs("diff: out of memory\n", stderr);
    exit(DIFF_TROUBLE);
}

static bool same(size_t i, size_t j)
{
    return a.v[i].len == b.v[j].len &&
           memcmp(a.v[i].text, b.v[j].text, a.v[i].len) == 0;
}

/* Myers: fills ops with the shortest edit script from a to b. */
static void shortest_edit(void)
{
    long n = (long)a.count, m = (long)b.count, max = n + m, off = max + 1;
    long *v = calloc((size_t)(2 * max + 3), sizeof *v);
    long **trace = calloc((size_t)max + 1, sizeof *trace);
    if (!v || !trace)
        no_memory();
    long d = 0;
    for (;; d++) {
        if (!(trace[d] = malloc((size_t)(2 * max + 3) * sizeof *v)))
            no_memory();
        memcpy(trace[d], v, (size_t)(2 * max + 3) * sizeof *v);
        bool done = false;
        for (long k = -d; k <= d && !done; k += 2) {
            long x = k == -d || (k != d && v[off + k - 1] < v[off + k + 1])
                         ? v[off + k + 1]
                         : v[off + k - 1] + 1;
            long y = x - k;
            while (x < n && y < m && same((size_t)x, (size_t)y))
                x++, y++;
            v[off + k] = x;
            done = x >= n && y >= m;
        }
        if (done)
            break;
    }
    /* Walk back from (n, m): each d gave one edit after a snake. */
    if (!(ops = malloc((size_t)(n + m + 1) * sizeof *ops)))
        no_memory();
    size_t at = (size_t)(n + m);
    long x = n, y = m;
    for (; d >= 0; d--) {
        long *pv = trace[d], k = x - y;
        long pk = k == -d || (k != d && pv[off + k - 1] < pv[off + k + 1])
                      ? k + 1
                      : k - 1;
        long px = pv[off + pk], py = px - pk;
        while (x > px && y > py) {
            ops[--at] = KEEP;
            x--;
            y--;
        }
        if (d > 0)
            ops[--at] = x == px ? INS : DEL;
        x = px;
        y = py;
        free(pv);
    }
    nops = (size_t)(n + m) - at;
    memmove(ops, ops + at, nops * sizeof *ops);
    free(trace);
    free(v);
}

/* One change: a[a0, a1) replaced by b[b0, b1). */
struct change {
    size_t a0, a1, b0, b1;
};

static struct change *changes;
static size_t nchanges;

/* Cuts the edit script into changes, runs of edits between kept lines. */
static void find_changes(void)
{
    if (!(changes = malloc((nops + 1) * sizeof *changes)))
        no_memory();
    size_t i = 0, j = 0;
    for (size_t k = 0; k < nops;) {
        if (ops[k] == KEEP) {
            i++, j++, k++;
            continue;
        }
        struct change c = {i, i, j, j};
        for (; k < nops && ops[k] != KEEP; k++) {
            if (ops[k] == DEL)
                c.a1 = ++i;
            else
                c.b1 = ++j;
        }
        changes[nchanges++] = c;
    }
}

static void print_line(const struct lines *f, size_t i, const char *prefix)
{
    printf("%s%s\n", prefix, f->v[i].text);
    if (i + 1 == f->count && !f->last_has_newline)
        puts("\\ No newline at end of file");
}

/* "N" or "N,M" for lines [from, to) of a side, 1-based. */
static void print_range(size_t from, size_t to)
{
    if (to <= from + 1)
        printf("%zu", to > from ? from + 1 : from);
    else
        printf("%zu,%zu", from + 1, to);
}

static void print_normal(void)
{
    for (size_t n = 0; n < nchanges; n++) {
        const struct change *c = &changes[n];
        char op = c->a0 == c->a1 ? 'a' : c->b0 == c->b1 ? 'd' : 'c';
        print_range(c->a0, c->a1);
        putchar(op);
        print_range(c->b0, c->b1);
        putchar('\n');
        for (size_t i = c->a0; i < c->a1; i++)
            print_line(&a, i, "< ");
        if (op == 'c')
            puts("---");
        for (size_t j = c->b0; j < c->b1; j++)
            print_line(&b, j, "> ");
    }
}

/* "-l,s" of a unified hunk: GNU drops ",1" and starts an empty one a
 * line early. */
static void print_uni_range(char sign, size_t from, size_t len)
{
    if (len == 1)
        printf(" %c%zu", sign, from + 1);
    else
        printf(" %c%zu,%zu", sign, len ? from + 1 : from, len);
}

static void print_header(const char *mark, const char *name)
{
    struct stat st;
    char when[64] = "";
    if (strcmp(name, "-") != 0 && stat(name, &st) == 0) {
        struct tm tm;
        gmtime_r(&st.st_mtim.tv_sec, &tm);
        size_t n = strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S", &tm);
        snprintf(when + n, sizeof when - n, ".%09ld +0000", st.st_mtim.tv_nsec);
    }
    printf("%s %s\t%s\n", mark, name, when);
}

static void print_unified(const char *na, const char *nb, size_t context)
{
    print_header("---", na);
    print_header("+++", nb);
    for (size_t n = 0; n < nchanges;) {
        size_t last = n; /* the hunk takes changes n..last */
        while (last + 1 < nchanges &&
               changes[last + 1].a0 - changes[last].a1 <= 2 * context)
            last++;
        const struct change *f = &changes[n], *l = &changes[last];
        size_t pre = f->a0 < context ? f->a0 : context;
        size_t post = a.count - l->a1 < context ? a.count - l->a1 : context;
        size_t a0 = f->a0 - pre, b0 = f->b0 - pre;
        size_t a1 = l->a1 + post, b1 = l->b1 + post;
        printf("@@");
        print_uni_range('-', a0, a1 - a0);
        print_uni_range('+', b0, b1 - b0);
        printf(" @@\n");
        size_t i = a0;
        for (size_t k = n; k <= last; k++) {
            const struct change *c = &changes[k];
            for (; i < c->a0; i++)
                print_line(&a, i, " ");
            for (size_t x = c->a0; x < c->a1; x++)
                print_line(&a, x, "-");
            for (size_t y = c->b0; y < c->b1; y++)
                print_line(&b, y, "+");
            i = c->a1;
        }
        for (; i < a1; i++)
            print_line(&a, i, " ");
        n = last + 1;
    }
}

static void read_side(struct lines *f, const char *name)
{
    int err = lines_read_path(f, name);
    if (err < 0) {
        fprintf(stderr, "diff: %s: %s\n", name, strerror(-err));
        exit(DIFF_TROUBLE);
    }
}

int main(int argc, char **argv)
{
    usage_help(argc, argv, USAGE);
    bool brief = false, unified = false;
    long context = DIFF_CONTEXT;
    int o;
    while ((o = getopt(argc, argv, "quU:")) != -1) {
        char *end;
        if (o == 'q')
            brief = true;
        else if (o == 'u')
            unified = true;
        else if (o == 'U' && (context = strtol(optarg, &end, 10)) >= 0 &&
                 !*end && *optarg)
            unified = true;
        else
            usage_fail(USAGE, DIFF_TROUBLE);
    }
    if (argc - optind != 2)
        usage_fail(USAGE, DIFF_TROUBLE);
    const char *na = argv[optind], *nb = argv[optind + 1];
    read_side(&a, na);
    read_side(&b, nb);
    shortest_edit();
    find_changes();
    bool differ = nchanges > 0;
    /* the same lines, but one ends in a newline and the other does not */
    if (!differ && a.count > 0 && a.last_has_newline != b.last_has_newline) {
        changes[nchanges++] =
            (struct change){a.count - 1, a.count, b.count - 1, b.count};
        differ = true;
    }
    if (differ && brief)
        printf("Files %s and %s differ\n", na, nb);
    else if (differ && unified)
        print_unified(na, nb, (size_t)context);
    else if (differ)
        print_normal();
    return differ ? 1 : 0;
}
