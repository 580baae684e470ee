/*
 * sed's execution: one cycle per input line, every command in order.
 *
 * Each line is read into the pattern space (without its newline). The
 * commands whose addresses select the line run on it; at the end of the
 * cycle the pattern space is printed unless -n, followed by any text of
 * 'a'. To know whether a line is the last ($), the next line is read
 * before the current one is worked on. A line that had no newline at the
 * end of the input gets none on output either, as GNU sed does.
 *
 * See: docs/userland.md
 */
#include "sed.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define SED_GROUPS 10 /* \0 (&) to \9 */

/* The input: the files in turn, one line read ahead. */
struct input {
    char **files;
    int nfiles, status;
    FILE *f;
    char *next;
    size_t next_cap;
    ssize_t next_len; /* -1: no line ahead, the input is over */
    long line_no;
};

/* The pattern space and what the cycle has left to print. */
struct space {
    char *s;
    size_t len, cap;
    bool newline; /* the line ended with '\n' in the input */
    char *append; /* 'a' text for the end of the cycle, or NULL */
};

static void read_ahead(struct input *in)
{
    for (;;) {
        if (in->f) {
            in->next_len = getline(&in->next, &in->next_cap, in->f);
            if (in->next_len >= 0)
                return;
            if (in->f != stdin)
                fclose(in->f);
            in->f = NULL;
        }
        if (in->nfiles == 0) {
            in->next_len = -1;
            return;
        }
        const char *name = *in->files++;
        in->nfiles--;
        in->f = strcmp(name, "-") == 0 ? stdin : fopen(name, "r");
        if (!in->f) {
            fprintf(stderr, "sed: can't read %s: %s\n", name, strerror(errno));
            in->status = 1;
        }
    }
}

static void space_set(struct space *sp, const char *s, size_t len)
{
    if (len + 1 > sp->cap) {
        sp->cap = len + 1 > 2 * sp->cap ? len + 1 : 2 * sp->cap;
        sp->s = realloc(sp->s, sp->cap);
        if (!sp->s) {
            fputs("sed: out of memory\n", stderr);
            exit(1);
        }
    }
    memcpy(sp->s, s, len);
    sp->s[len] = '\0';
    sp->len = len;
}

/* Moves the line read ahead into the pattern space; false at the end. */
static bool next_line(struct input *in, struct space *sp)
{
    if (in->next_len < 0)
        return false;
    size_t len = (size_t)in->next_len;
    sp->newline = len > 0 && in->next[len - 1] == '\n';
    space_set(sp, in->next, len - sp->newline);
    in->line_no++;
    read_ahead(in);
    return true;
}

static void print_space(const struct space *sp, FILE *out)
{
    fwrite(sp->s, 1, sp->len, out);
    if (sp->newline)
        putc('\n', out);
}

static bool addr_match(const struct addr *a, const struct input *in,
                       const struct space *sp)
{
    switch (a->kind) {
    case ADDR_LINE:
        return in->line_no == a->line;
    case ADDR_LAST:
        return in->next_len < 0;
    case ADDR_RE:
        return regexec(&a->re, sp->s, 0, NULL, 0) == 0;
    default:
        return true;
    }
}

/* Whether c applies to this line; moves its range along. */
static bool selected(struct cmd *c, const struct input *in,
                     const struct space *sp)
{
    bool hit;
    if (c->a2.kind == ADDR_NONE) {
        hit = addr_match(&c->a1, in, sp);
    } else if (c->in_range) {
        hit = true;
        if (c->a2.kind == ADDR_LINE ? in->line_no >= c->a2.line
                                    : addr_match(&c->a2, in, sp))
            c->in_range = false;
    } else {
        hit = addr_match(&c->a1, in, sp);
        /* a range whose end is a line already reached is one line long */
        if (hit)
            c->in_range = !(c->a2.kind == ADDR_LINE
                                ? in->line_no >= c->a2.line
                                : c->a2.kind == ADDR_LAST && in->next_len < 0);
    }
    return hit != c->negate;
}

/* Appends n bytes to a growable string. */
static void put(struct space *o, const char *s, size_t n)
{
    if (o->len + n + 1 > o->cap) {
        size_t cap = o->cap ? o->cap : 64;
        while (cap < o->len + n + 1)
            cap *= 2;
        char *bigger = realloc(o->s, cap);
        if (!bigger) {
            fputs("sed: out of memory\n", stderr);
            exit(1);
        }
        o->s = bigger;
        o->cap = cap;
    }
    memcpy(o->s + o->len, s, n);
    o->len += n;
    o->s[o->len] = '\0';
}

/* Appends the replacement for one match to out (& and \1..\9). */
static void expand(const struct cmd *c, const char *subject,
                   const regmatch_t *m, struct space *out)
{
    for (const char *r = c->repl; *r; r++) {
        if (*r == '&' || (*r == '\\' && r[1] >= '0' && r[1] <= '9')) {
            int g = *r == '&' ? 0 : *++r - '0';
            if (m[g].rm_so >= 0)
                put(out, subject + m[g].rm_so,
                    (size_t)(m[g].rm_eo - m[g].rm_so));
        } else if (*r == '\\' && r[1]) {
            r++;
            put(out, *r == 'n' ? "\n" : *r == 't' ? "\t" : r, 1);
        } else {
            put(out, r, 1);
        }
    }
}

/* s///: returns whether a replacement was made. */
static bool substitute(struct cmd *c, struct space *sp)
{
    static struct space out;
    regmatch_t m[SED_GROUPS];
    out.len = 0;
    put(&out, "", 0);
    const char *at = sp->s, *end = sp->s + sp->len;
    long count = 0;
    bool done = false;
    int flags = 0;
    while (at <= end && regexec(&c->re, at, SED_GROUPS, m, flags) == 0) {
        count++;
        put(&out, at, (size_t)m[0].rm_so);
        bool take = count >= c->nth && (c->global || count == c->nth);
        if (take) {
            expand(c, at, m, &out);
            done = true;
        } else {
            put(&out, at + m[0].rm_so, (size_t)(m[0].rm_eo - m[0].rm_so));
        }
        at += m[0].rm_eo;
        if (m[0].rm_eo == m[0].rm_so) { /* an empty match: step over a byte */
            if (at < end)
                put(&out, at, 1);
            at++;
        }
        flags = REG_NOTBOL;
        if (take && !c->global)
            break;
    }
    if (!done)
        return false;
    if (at < end)
        put(&out, at, (size_t)(end - at));
    space_set(sp, out.s, out.len);
    return true;
}

/*
 * Runs the commands on the pattern space. Returns 0 to end the cycle
 * normally, 'd' when it was deleted (no autoprint), 'q' to quit.
 */
static int run_cmds(struct script *s, struct input *in, struct space *sp,
                    FILE *out, bool quiet)
{
    for (int i = 0; i < s->count; i++) {
        struct cmd *c = &s->v[i];
        if (!selected(c, in, sp))
            continue;
        switch (c->name) {
        case 's':
            if (substitute(c, sp)) {
                if (c->print)
                    print_space(sp, out);
                if (c->wfile)
                    print_space(sp, c->wfile);
            }
            break;
        case 'y':
            for (size_t k = 0; k < sp->len; k++)
                sp->s[k] = (char)c->map[(unsigned char)sp->s[k]];
            break;
        case 'd':
            return 'd';
        case 'p':
            print_space(sp, out);
            break;
        case 'n':
            if (!quiet)
                print_space(sp, out);
            if (!next_line(in, sp))
                return 'd';
            break;
        case '=':
            fprintf(out, "%ld\n", in->line_no);
            break;
        case 'i':
            fprintf(out, "%s\n", c->text);
            break;
        case 'a':
            sp->append = c->text;
            break;
        case 'c':
            if (!c->in_range || c->negate)
                fprintf(out, "%s\n", c->text);
            return 'd';
        case 'q':
            return 'q';
        }
    }
    return 0;
}

int sed_run(struct script *s, char **files, int nfiles, FILE *out, bool quiet)
{
    static char *stdin_only[] = {"-"};
    struct input in = {.files = nfiles ? files : stdin_only,
                       .nfiles = nfiles ? nfiles : 1};
    struct space sp = {0};
    for (int i = 0; i < s->count; i++)
        s->v[i].in_range = false;
    read_ahead(&in);
    int r = 0;
    while (r != 'q' && next_line(&in, &sp)) {
        sp.append = NULL;
        r = run_cmds(s, &in, &sp, out, quiet);
        if (r != 'd' && !quiet)
            print_space(&sp, out);
        if (sp.append)
            fprintf(out, "%s\n", sp.append);
    }
    if (in.f && in.f != stdin)
        fclose(in.f);
    free(in.next);
    free(sp.s);
    return in.status | (r == 'q' ? SED_QUIT : 0);
}
