/*
 * Expansion: a raw word (quotes and all) becomes zero or more fields.
 *
 * POSIX's order is kept: tilde, parameter, command and arithmetic
 * expansion first, then field splitting, then pathname expansion
 * (globbing), then quote removal. To do the later steps right, the first
 * pass gives every character it produces a class:
 *
 *   LIT     typed unquoted in the word: may glob, never splits
 *   QUOTED  quoted or escaped: neither globs nor splits
 *   EXP     the result of an unquoted expansion: splits at $IFS, may glob
 *   EMPTY   no character; marks "" so that an empty field still counts
 *
 * Splitting then cuts only at EXP characters that are in $IFS (blanks in
 * a run count once; each other $IFS character ends exactly one field),
 * and a field with an unquoted * ? or [ becomes a glob pattern, its quoted
 * characters escaped with '\', matched by musl's glob(); no match keeps
 * the field as it is. "$@" ends a field after each parameter.
 *
 * The parameter forms: $NAME ${NAME} $? $$ $# $! $- $0-$9 ${10} $@ $*,
 * ${#NAME}, and ${NAME op word} for op in - = + ? (with ':' also for an
 * empty value) and % %% # ## (patterns, shortest and longest). Command
 * substitution is $(...) or `...` (subst.c); $((...)) is arith.c's.
 * An error (an unset name under set -u, ${x?}, a bad $((...))) is
 * reported once and sets sh.expand_failed.
 *
 * See: docs/userland.md
 */
#include "sh.h"

#include <fnmatch.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum cls { LIT, QUOTED, EXP, EMPTY };
enum ctx { CTX_WORD, CTX_DQ, CTX_HEREDOC };

struct build {
    char *s;
    unsigned char *c; /* the class of each byte of s */
    size_t len, cap;
    bool at_empty;   /* "$@" had no parameters */
    bool lit_splits; /* in ${x-word}: the word's own text splits too */
};

static void put(struct build *b, char ch, enum cls c)
{
    if (b->len + 2 > b->cap) {
        b->cap = b->cap ? 2 * b->cap : 64;
        b->s = realloc(b->s, b->cap);
        b->c = realloc(b->c, b->cap);
    }
    if (c == LIT && b->lit_splits)
        c = EXP;
    b->s[b->len] = ch;
    b->c[b->len++] = (unsigned char)c;
}

static void add_value(struct build *b, const char *v, bool quoted)
{
    for (; v && *v; v++)
        put(b, *v, quoted ? QUOTED : EXP);
}

/* Marks a break: "$@" between two parameters. */
static void put_break(struct build *b)
{
    put(b, '\0', EMPTY);
    put(b, '\n', EMPTY); /* EMPTY '\n' is the break; EMPTY '\0' a mark */
}

static void build_free(struct build *b)
{
    free(b->s);
    free(b->c);
}

static const char *expand_part(struct build *b, const char *s, const char *end,
                               enum ctx ctx);

/* ---- parameters ---- */

/* The value of a parameter (malloc'd), or NULL when it is unset. */
static char *param(const char *name)
{
    char num[24];
    if (!name[1] && strchr("?$#!-", name[0])) {
        switch (name[0]) {
        case '?':
            snprintf(num, sizeof num, "%d", sh.last_status);
            break;
        case '$':
            snprintf(num, sizeof num, "%d", (int)sh.pid);
            break;
        case '#':
            snprintf(num, sizeof num, "%d", vars_arg_count());
            break;
        case '!':
            if (!sh.last_bg)
                return NULL;
            snprintf(num, sizeof num, "%d", (int)sh.last_bg);
            break;
        default:
            return strdup(sh_options());
        }
        return strdup(num);
    }
    if (name[0] >= '0' && name[0] <= '9') {
        const char *v = vars_arg(atoi(name));
        return v ? strdup(v) : NULL;
    }
    if (name[0] == '@' || name[0] == '*') {
        if (vars_arg_count() == 0)
            return NULL;
        const char *ifs = var_get("IFS");
        char sep[2] = {ifs ? ifs[0] : ' ', '\0'};
        size_t len = 1;
        for (int i = 1; i <= vars_arg_count(); i++)
            len += strlen(vars_arg(i)) + 1;
        char *out = calloc(1, len);
        for (int i = 1; i <= vars_arg_count(); i++) {
            if (i > 1)
                strcat(out, sep);
            strcat(out, vars_arg(i));
        }
        return out;
    }
    const char *v = var_get(name);
    return v ? strdup(v) : NULL;
}

static bool unset_error(const char *name)
{
    if (!sh.opt_nounset || strcmp(name, "@") == 0 || strcmp(name, "*") == 0)
        return false;
    sh_error("%s: parameter not set", name);
    sh.expand_failed = true;
    return true;
}

/* $@ and $*, unquoted or quoted. */
static void add_params(struct build *b, bool star, bool quoted)
{
    int n = vars_arg_count();
    if (n == 0 && quoted && !star)
        b->at_empty = true;
    for (int i = 1; i <= n; i++) {
        if (i > 1 && quoted && star) {
            const char *ifs = var_get("IFS");
            if (!ifs || *ifs)
                put(b, ifs ? ifs[0] : ' ', QUOTED);
        } else if (i > 1) {
            put_break(b);
        }
        if (!*vars_arg(i) && quoted)
            put(b, '\0', EMPTY);
        add_value(b, vars_arg(i), quoted);
    }
}

/* Expands text [s, end) into one string: no splitting, no globbing. With
 * pattern set, quoted glob characters come back escaped by '\'. */
static char *expand_range(const char *s, const char *end, enum ctx ctx,
                          bool pattern)
{
    struct build sub = {0};
    expand_part(&sub, s, end, ctx);
    char *out = malloc(2 * sub.len + 1);
    size_t n = 0;
    for (size_t i = 0; i < sub.len; i++) {
        if (sub.c[i] == EMPTY)
            continue;
        if (pattern && sub.c[i] == QUOTED && strchr("*?[]\\", sub.s[i]))
            out[n++] = '\\';
        out[n++] = sub.s[i];
    }
    out[n] = '\0';
    build_free(&sub);
    return out;
}

/* ${v%pat} and the others: what is left of v. */
static char *trim(const char *v, const char *pat, char op, bool longest)
{
    size_t len = strlen(v);
    char *buf = strdup(v);
    for (size_t k = 0; k <= len; k++) {
        /* the shortest first: k grows; the longest: len - k */
        size_t cut = longest ? len - k : k;
        bool hit;
        if (op == '#') {
            char c = buf[cut];
            buf[cut] = '\0';
            hit = fnmatch(pat, buf, 0) == 0;
            buf[cut] = c;
            if (hit) {
                char *out = strdup(v + cut);
                free(buf);
                return out;
            }
        } else if (fnmatch(pat, v + len - cut, 0) == 0) {
            buf[len - cut] = '\0';
            return buf;
        }
    }
    return buf;
}

/*
 * The word of ${x-word} and ${x+word}. Unquoted, what it says splits
 * (${u:-a b} is two fields); inside "...", its quotes are removed but
 * nothing of it splits or globs.
 */
static void word(struct build *b, const char *s, const char *end, enum ctx ctx)
{
    if (ctx == CTX_WORD) {
        bool was = b->lit_splits;
        b->lit_splits = true;
        expand_part(b, s, end, CTX_WORD);
        b->lit_splits = was;
        return;
    }
    char *w = expand_range(s, end, CTX_WORD, false);
    add_value(b, w, true);
    put(b, '\0', EMPTY);
    free(w);
}

/* ${...} from the '{' to its '}' (end). */
static void braced(struct build *b, const char *s, const char *end,
                   enum ctx ctx)
{
    bool quoted = ctx != CTX_WORD;
    s++; /* { */
    bool length = s[0] == '#' && s + 1 < end;
    s += length;
    char name[64];
    size_t n = 0;
    if (strchr("@*#?$!-", *s) && s < end) {
        name[n++] = *s;
    } else {
        while (s + n < end && n < sizeof name - 1 &&
               (s[n] == '_' || (s[n] >= 'a' && s[n] <= 'z') ||
                (s[n] >= 'A' && s[n] <= 'Z') || (s[n] >= '0' && s[n] <= '9')))
            n++;
        memcpy(name, s, n);
    }
    name[n] = '\0';
    s += n;
    if (n == 0 || (length && s != end)) {
        sh_error("${%.*s}: bad substitution", (int)(end - s), s);
        sh.expand_failed = true;
        return;
    }
    char *v = param(name);
    if (length) {
        char num[24];
        if (!v && unset_error(name))
            return;
        if (name[0] == '@' || name[0] == '*')
            snprintf(num, sizeof num, "%d", vars_arg_count());
        else
            snprintf(num, sizeof num, "%zu", v ? strlen(v) : 0);
        add_value(b, num, quoted);
        free(v);
        return;
    }
    bool colon = *s == ':';
    s += colon;
    char op = s < end ? *s++ : '}';
    bool twice = (op == '%' || op == '#') && s < end && *s == op;
    s += twice;
    bool empty = !v || (colon && !*v);
    if (op == '}' && s <= end + 1 && !colon) {
        if (!v && unset_error(name))
            return;
        if (name[0] == '@' || name[0] == '*')
            add_params(b, name[0] == '*', quoted);
        else
            add_value(b, v, quoted);
    } else if (op == '-' || op == '+') {
        if (empty == (op == '-'))
            word(b, s, end, ctx);
        else if (name[0] == '@' || name[0] == '*')
            add_params(b, name[0] == '*', quoted);
        else
            add_value(b, v, quoted);
    } else if (op == '=' || op == '?') {
        if (!empty) {
            add_value(b, v, quoted);
        } else if (op == '=') {
            char *w = expand_range(s, end, CTX_DQ, false);
            if (var_is_name(name, strlen(name)) && var_set(name, w, false))
                add_value(b, w, quoted);
            else if (!var_is_name(name, strlen(name)))
                sh_error("%s: cannot assign in this way", name);
            free(w);
        } else {
            char *w = expand_range(s, end, CTX_DQ, false);
            sh_error("%s: %s", name, *w ? w : "parameter not set");
            free(w);
            sh.expand_failed = true;
        }
    } else if (op == '%' || op == '#') {
        if (!v && unset_error(name))
            return;
        char *pat = expand_range(s, end, CTX_WORD, true);
        char *rest = trim(v ? v : "", pat, op, twice);
        add_value(b, rest, quoted);
        free(rest);
        free(pat);
    } else {
        sh_error("${...}: bad substitution");
        sh.expand_failed = true;
    }
    free(v);
}

/* A $ at s (before end): expands it and returns the first byte after. */
static const char *dollar(struct build *b, const char *s, const char *end,
                          enum ctx ctx)
{
    bool quoted = ctx != CTX_WORD, open = false;
    if (s + 1 >= end) {
        put(b, '$', quoted ? QUOTED : LIT);
        return s + 1;
    }
    if (s[1] == '(' || s[1] == '{') {
        const char *after = s + lex_skip(s, 0, &open);
        if (open || after > end)
            after = end;
        if (s[1] == '{') {
            braced(b, s + 1, after - 1, ctx);
        } else if (s[2] == '(' && after[-2] == ')') {
            char *e = expand_range(s + 3, after - 2, CTX_HEREDOC, false);
            char num[24];
            long v = arith_eval(e);
            free(e);
            snprintf(num, sizeof num, "%ld", v);
            if (!sh.expand_failed)
                add_value(b, num, quoted);
        } else {
            char *text = strndup(s + 2, (size_t)(after - 1 - (s + 2)));
            char *out = subst_run(text);
            add_value(b, out, quoted);
            free(out);
            free(text);
        }
        return after;
    }
    char name[2] = {s[1], '\0'};
    if (strchr("?$#!-0123456789", s[1])) {
        char *v = param(name);
        if (v || !unset_error(name))
            add_value(b, v, quoted);
        free(v);
        return s + 2;
    }
    if (s[1] == '@' || s[1] == '*') {
        add_params(b, s[1] == '*', quoted);
        return s + 2;
    }
    size_t n = 1;
    while (s + n < end && (s[n] == '_' || (s[n] >= 'a' && s[n] <= 'z') ||
                           (s[n] >= 'A' && s[n] <= 'Z') ||
                           (n > 1 && s[n] >= '0' && s[n] <= '9')))
        n++;
    if (n == 1) {
        put(b, '$', quoted ? QUOTED : LIT); /* a lone $ is itself */
        return s + 1;
    }
    char *var = strndup(s + 1, n - 1);
    const char *v = var_get(var);
    if (v || !unset_error(var))
        add_value(b, v, quoted);
    free(var);
    return s + n;
}

/* `...` at s: its text, with \$ \` \\ (and \" in quotes) unescaped. */
static const char *backtick(struct build *b, const char *s, const char *end,
                            enum ctx ctx)
{
    bool open = false;
    const char *after = s + lex_skip(s, 0, &open);
    if (open || after > end)
        after = end + 1;
    char *text = malloc((size_t)(after - s));
    size_t n = 0;
    for (const char *p = s + 1; p < after - 1; p++) {
        if (*p == '\\' && p + 1 < after - 1 &&
            (strchr("$`\\", p[1]) || (ctx != CTX_WORD && p[1] == '"')))
            p++;
        text[n++] = *p;
    }
    text[n] = '\0';
    char *out = subst_run(text);
    add_value(b, out, ctx != CTX_WORD);
    free(out);
    free(text);
    return after > end ? end : after;
}

/* ---- the first pass ---- */

static const char *expand_part(struct build *b, const char *s, const char *end,
                               enum ctx ctx)
{
    bool open = false;
    while (s < end && !sh.expand_failed) {
        char ch = *s;
        if (ch == '$') {
            s = dollar(b, s, end, ctx);
        } else if (ch == '`') {
            s = backtick(b, s, end, ctx);
        } else if (ch == '\\') {
            const char *esc = ctx == CTX_WORD ? NULL
                              : ctx == CTX_DQ ? "$`\"\\\n"
                                              : "$`\\\n";
            if (s + 1 >= end) {
                put(b, '\\', QUOTED);
                s++;
            } else if (s[1] == '\n' && (ctx == CTX_WORD || strchr(esc, '\n'))) {
                s += 2;
            } else if (!esc || strchr(esc, s[1])) {
                put(b, s[1], QUOTED);
                s += 2;
            } else {
                put(b, '\\', QUOTED);
                s++;
            }
        } else if (ctx != CTX_WORD) {
            put(b, ch, QUOTED);
            s++;
        } else if (ch == '\'') {
            const char *q = s + lex_skip(s, 0, &open);
            if (q > end)
                q = end + 1;
            put(b, '\0', EMPTY);
            for (s++; s < q - 1; s++)
                put(b, *s, QUOTED);
            s = q;
        } else if (ch == '"') {
            const char *q = s + lex_skip(s, 0, &open);
            if (q > end)
                q = end + 1;
            bool was = b->at_empty;
            size_t len = b->len;
            b->at_empty = false;
            expand_part(b, s + 1, q - 1, CTX_DQ);
            if (!(b->at_empty && b->len == len))
                put(b, '\0', EMPTY);
            b->at_empty = was;
            s = q;
        } else {
            put(b, ch, LIT);
            s++;
        }
    }
    return s;
}

/* ~ or ~/... at the start of a word: $HOME. */
static const char *tilde(struct build *b, const char *s)
{
    if (s[0] == '~' && (s[1] == '/' || s[1] == '\0' || s[1] == ':')) {
        const char *home = var_get("HOME");
        add_value(b, home ? home : "/", true);
        put(b, '\0', EMPTY);
        return s + 1;
    }
    return s;
}

/* ---- splitting and globbing ---- */

struct fields {
    char ***argv;
    int *argc;
};

static void push(struct fields *f, char *s)
{
    *f->argv = realloc(*f->argv, sizeof(char *) * (size_t)(*f->argc + 2));
    (*f->argv)[(*f->argc)++] = s;
    (*f->argv)[*f->argc] = NULL;
}

/* One field [from, to) of b: globbed if it asks for that. */
static void finish(struct fields *f, const struct build *b, size_t from,
                   size_t to)
{
    bool wild = false;
    for (size_t i = from; i < to; i++)
        if (b->c[i] != QUOTED && b->c[i] != EMPTY && strchr("*?[", b->s[i]))
            wild = true;
    char *plain = malloc(to - from + 1), *pat = malloc(2 * (to - from) + 1);
    size_t n = 0, m = 0;
    for (size_t i = from; i < to; i++) {
        if (b->c[i] == EMPTY)
            continue;
        if (b->c[i] != LIT && strchr("*?[]\\", b->s[i]) &&
            (b->c[i] == QUOTED || b->s[i] == '\\'))
            pat[m++] = '\\';
        pat[m++] = b->s[i];
        plain[n++] = b->s[i];
    }
    plain[n] = pat[m] = '\0';
    glob_t g;
    if (wild && !sh.opt_noglob && glob(pat, 0, NULL, &g) == 0) {
        for (size_t i = 0; i < g.gl_pathc; i++)
            push(f, strdup(g.gl_pathv[i]));
        globfree(&g);
        free(plain);
    } else {
        push(f, plain);
    }
    free(pat);
}

static void split(struct fields *f, const struct build *b)
{
    const char *ifs = var_get("IFS");
    if (!ifs)
        ifs = " \t\n";
    size_t start = 0;
    bool in_field = false, after_blank = false;
    for (size_t i = 0; i < b->len; i++) {
        bool brk = b->c[i] == EMPTY && b->s[i] == '\n';
        bool delim = b->c[i] == EXP && b->s[i] && strchr(ifs, b->s[i]);
        if (brk) {
            if (in_field)
                finish(f, b, start, i);
            in_field = after_blank = false;
        } else if (delim && strchr(" \t\n", b->s[i])) {
            if (in_field) {
                finish(f, b, start, i);
                after_blank = true;
            }
            in_field = false;
        } else if (delim) {
            if (!after_blank)
                finish(f, b, start, in_field ? i : start);
            in_field = after_blank = false;
        } else {
            if (!in_field)
                start = i;
            in_field = true;
            after_blank = false;
        }
    }
    if (in_field)
        finish(f, b, start, b->len);
}

/* ---- the entry points ---- */

void expand_word(const char *raw, char ***argv, int *argc)
{
    struct build b = {0};
    struct fields f = {argv, argc};
    if (!*argv)
        *argv = calloc(1, sizeof(char *));
    expand_part(&b, tilde(&b, raw), raw + strlen(raw), CTX_WORD);
    if (!sh.expand_failed)
        split(&f, &b);
    build_free(&b);
}

char *expand_one(const char *raw)
{
    struct build b = {0};
    expand_part(&b, tilde(&b, raw), raw + strlen(raw), CTX_WORD);
    char *out = malloc(b.len + 1);
    size_t n = 0;
    for (size_t i = 0; i < b.len; i++)
        if (b.c[i] != EMPTY)
            out[n++] = b.s[i];
        else if (b.s[i] == '\n')
            out[n++] = ' '; /* "$@" in an assignment: joined by spaces */
    out[n] = '\0';
    build_free(&b);
    return out;
}

char *expand_pattern(const char *raw)
{
    return expand_range(raw, raw + strlen(raw), CTX_WORD, true);
}

char *expand_heredoc(const char *body)
{
    return expand_range(body, body + strlen(body), CTX_HEREDOC, false);
}

char **expand_words(char **words, int nwords, int *argc)
{
    char **argv = calloc(1, sizeof(char *));
    *argc = 0;
    for (int i = 0; i < nwords && !sh.expand_failed; i++)
        expand_word(words[i], &argv, argc);
    return argv;
}

void argv_free(char **argv)
{
    for (char **a = argv; a && *a; a++)
        free(*a);
    free(argv);
}
