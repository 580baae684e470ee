/*
 * Expansion: a raw word (quotes and all) becomes zero or more fields.
 *
 * One pass over the word, with a field under construction:
 *   - '...' copies its text as it is;
 *   - "..." copies its text but expands $ inside, and a backslash there
 *     escapes only $ ` " \ and newline, as POSIX says;
 *   - \c outside quotes is the character c;
 *   - $NAME ${NAME} $? $$ $# $0-$9 $@ $* are replaced by their values.
 *     Outside quotes a value is split into fields at blanks and newlines
 *     ("field splitting"), so X="a b"; ls $X passes two arguments, and
 *     "$X" passes one;
 *   - $((expression)) is its value (arith.c), and $(commands) what the
 *     commands print (subst.c), split into fields outside quotes;
 *   - ~ at the start is $HOME;
 *   - a word with an unquoted * ? or [ (and no quotes at all) is matched
 *     against file names by musl's glob(); no match keeps the word.
 * A quoted empty string ("") is still a field; an unquoted empty
 * expansion is none.
 *
 * See: docs/userland.md
 */
#include "sh.h"

#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct build {
    char **argv;
    int argc, cap;
    char *cur;
    size_t len, cur_cap;
    bool started; /* the field exists even if empty ("" was seen) */
    bool glob;    /* an unquoted * ? [ */
    bool quoted;  /* some part was quoted or escaped */
    bool one;     /* one value wanted (an assignment, a file): no split */
};

static void put(struct build *b, char c)
{
    if (b->len + 2 > b->cur_cap) {
        b->cur_cap = b->cur_cap ? 2 * b->cur_cap : 64;
        b->cur = realloc(b->cur, b->cur_cap);
    }
    b->cur[b->len++] = c;
    b->cur[b->len] = '\0';
}

static void puts_(struct build *b, const char *s)
{
    while (*s)
        put(b, *s++);
}

static void push_field(struct build *b, char *s)
{
    if (b->argc + 2 > b->cap) {
        b->cap = b->cap ? 2 * b->cap : 8;
        b->argv = realloc(b->argv, sizeof(char *) * (size_t)b->cap);
    }
    b->argv[b->argc++] = s;
    b->argv[b->argc] = NULL;
}

/* Ends the field under construction, globbing it if it asks for that. */
static void end_field(struct build *b)
{
    if (!b->started && b->len == 0)
        return;
    char *s = b->cur ? strdup(b->cur) : strdup("");
    glob_t g;
    if (b->glob && !b->quoted && glob(s, 0, NULL, &g) == 0) {
        for (size_t i = 0; i < g.gl_pathc; i++)
            push_field(b, strdup(g.gl_pathv[i]));
        globfree(&g);
        free(s);
    } else {
        push_field(b, s);
    }
    b->len = 0;
    if (b->cur)
        b->cur[0] = '\0';
    b->started = false;
}

/* Adds a value; outside quotes it is split at blanks and newlines. */
static void add_value(struct build *b, const char *v, bool in_quotes)
{
    if (!v)
        return;
    if (in_quotes || b->one) {
        puts_(b, v);
        return;
    }
    for (; *v; v++) {
        if (*v == ' ' || *v == '\t' || *v == '\n')
            end_field(b);
        else
            put(b, *v);
    }
}

/* The value of a special parameter or variable named by name. */
static void add_param(struct build *b, const char *name, bool in_quotes)
{
    char num[24];
    if (strcmp(name, "?") == 0) {
        snprintf(num, sizeof num, "%d", sh.last_status);
        puts_(b, num);
    } else if (strcmp(name, "$") == 0) {
        snprintf(num, sizeof num, "%d", (int)getpid());
        puts_(b, num);
    } else if (strcmp(name, "#") == 0) {
        snprintf(num, sizeof num, "%d", vars_arg_count());
        puts_(b, num);
    } else if (strcmp(name, "@") == 0 || strcmp(name, "*") == 0) {
        for (int i = 1; i <= vars_arg_count(); i++) {
            if (i > 1) {
                if (in_quotes && name[0] == '@') {
                    end_field(b); /* "$@": one field per parameter */
                    b->started = true;
                } else {
                    add_value(b, " ", in_quotes);
                }
            }
            add_value(b, vars_arg(i), in_quotes);
        }
    } else if (name[0] >= '0' && name[0] <= '9') {
        add_value(b, vars_arg(atoi(name)), in_quotes);
    } else {
        add_value(b, var_get(name), in_quotes);
    }
}

/* $((...)) from its first '(': evaluates it, returns the byte after. */
static const char *arith(struct build *b, const char *s, bool in_quotes)
{
    int depth = 0;
    const char *p = s;
    for (; *p; p++) {
        depth += (*p == '(') - (*p == ')');
        if (depth == 0)
            break;
    }
    char num[24];
    char *expr = strndup(s + 2, (size_t)(p - s) > 3 ? (size_t)(p - s) - 3 : 0);
    snprintf(num, sizeof num, "%ld", arith_eval(expr));
    free(expr);
    add_value(b, num, in_quotes);
    return *p ? p + 1 : p;
}

/* $(...) from its '(': runs the commands, returns the byte after ')'. */
static const char *command(struct build *b, const char *s, bool in_quotes)
{
    int depth = 0;
    char quote = 0;
    const char *p = s;
    for (; *p; p++) {
        if (quote) {
            quote = *p == quote ? 0 : quote;
            continue;
        }
        if (*p == '\'' || *p == '"') {
            quote = *p;
            continue;
        }
        depth += (*p == '(') - (*p == ')');
        if (depth == 0)
            break;
    }
    char *text = strndup(s + 1, (size_t)(p - s) - (*p ? 1 : 0) - 0);
    if (text && *p)
        text[p - s - 1] = '\0';
    char *out = text ? subst_run(text) : NULL;
    add_value(b, out ? out : "", in_quotes);
    free(out);
    free(text);
    return *p ? p + 1 : p;
}

/* A $ at s: expands it and returns the first byte after it. */
static const char *dollar(struct build *b, const char *s, bool in_quotes)
{
    char name[256];
    size_t n = 0;
    s++; /* the $ */
    if (s[0] == '(' && s[1] == '(')
        return arith(b, s, in_quotes);
    if (s[0] == '(')
        return command(b, s, in_quotes);
    if (*s == '{') {
        const char *end = strchr(s, '}');
        if (!end) {
            put(b, '$');
            return s;
        }
        n = (size_t)(end - s - 1);
        if (n >= sizeof name)
            n = sizeof name - 1;
        memcpy(name, s + 1, n);
        name[n] = '\0';
        add_param(b, name, in_quotes);
        return end + 1;
    }
    if (*s && strchr("?$#@*0123456789", *s)) {
        name[0] = *s;
        name[1] = '\0';
        add_param(b, name, in_quotes);
        return s + 1;
    }
    while ((s[n] == '_' || (s[n] >= 'a' && s[n] <= 'z') ||
            (s[n] >= 'A' && s[n] <= 'Z') ||
            (n > 0 && s[n] >= '0' && s[n] <= '9')) &&
           n < sizeof name - 1) {
        name[n] = s[n];
        n++;
    }
    if (n == 0) {
        put(b, '$'); /* a lone $ is itself */
        return s;
    }
    name[n] = '\0';
    add_param(b, name, in_quotes);
    return s + n;
}

/* The inside of "...", from after the opening quote; returns past it. */
static const char *double_quoted(struct build *b, const char *s)
{
    b->started = b->quoted = true;
    while (*s && *s != '"') {
        if (*s == '\\' && s[1] && strchr("$`\"\\\n", s[1])) {
            if (s[1] != '\n')
                put(b, s[1]);
            s += 2;
        } else if (*s == '$') {
            s = dollar(b, s, true);
        } else {
            put(b, *s++);
        }
    }
    return *s ? s + 1 : s;
}

static void expand_into(struct build *b, const char *s)
{
    if (s[0] == '~' && (s[1] == '/' || s[1] == '\0')) {
        const char *home = var_get("HOME");
        puts_(b, home ? home : "/");
        b->started = true;
        s++;
    }
    while (*s) {
        if (*s == '\'') {
            const char *end = strchr(s + 1, '\'');
            size_t n = end ? (size_t)(end - s - 1) : strlen(s + 1);
            b->started = b->quoted = true;
            for (size_t i = 0; i < n; i++)
                put(b, s[1 + i]);
            s += n + 1 + (end != NULL);
        } else if (*s == '"') {
            s = double_quoted(b, s + 1);
        } else if (*s == '\\') {
            b->quoted = true;
            if (s[1] && s[1] != '\n')
                put(b, s[1]);
            s += s[1] ? 2 : 1;
        } else if (*s == '$') {
            s = dollar(b, s, false);
        } else {
            if (*s == '*' || *s == '?' || *s == '[')
                b->glob = true;
            put(b, *s++);
        }
    }
    end_field(b);
}

void expand_word(const char *raw, char ***argv, int *argc)
{
    struct build b = {.argv = *argv, .argc = *argc, .cap = *argc + 1};
    if (strcmp(raw, "\"$@\"") == 0 && vars_arg_count() == 0)
        return; /* "$@" with no parameters is no field at all */
    expand_into(&b, raw);
    free(b.cur);
    *argv = b.argv;
    *argc = b.argc;
}

char *expand_one(const char *raw)
{
    struct build b = {0};
    b.quoted = true; /* a file name is not globbed */
    b.started = true;
    b.one = true; /* x=$(seq 3) keeps its newlines, as POSIX says */
    expand_into(&b, raw);
    free(b.cur);
    /* Split pieces are joined back with spaces: one name is wanted. */
    size_t len = 0;
    for (int i = 0; i < b.argc; i++)
        len += strlen(b.argv[i]) + 1;
    char *out = calloc(1, len + 1);
    for (int i = 0; i < b.argc; i++) {
        if (i)
            strcat(out, " ");
        strcat(out, b.argv[i]);
    }
    argv_free(b.argv);
    return out;
}

char **expand_words(char **words, int nwords, int *argc)
{
    char **argv = calloc(1, sizeof(char *));
    *argc = 0;
    for (int i = 0; i < nwords; i++)
        expand_word(words[i], &argv, argc);
    return argv;
}

void argv_free(char **argv)
{
    for (char **a = argv; a && *a; a++)
        free(*a);
    free(argv);
}
