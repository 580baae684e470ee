/*
 * expr: evaluates an expression given as separate arguments.
 *
 * The grammar is POSIX's, by precedence from loosest: | & , the six
 * comparisons, + -, * / %, and ":" (a basic regular expression matched at
 * the start of the string: the \(...\) group, or the length matched).
 * GNU's words match, substr, index and length are there too. Values are
 * strings; those that look like integers compare and compute as numbers.
 * One recursive-descent function per level. The status is 0 when the
 * result is neither "" nor 0, 1 when it is, 2 for a bad expression.
 *
 * See: docs/userland.md
 */
#include <errno.h>
#include <limits.h>
#include <regex.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "usage.h"

#define USAGE      "usage: expr expression\n"
#define EXPR_FALSE 1
#define EXPR_BAD   2
#define NUM_MAX    32

static char **tok;
static int ntok;

__attribute__((noreturn)) static void fail(const char *msg)
{
    fprintf(stderr, "expr: %s\n", msg);
    exit(EXPR_BAD);
}

static bool is_integer(const char *s, long long *v)
{
    char *end;
    if (!*s)
        return false;
    errno = 0;
    *v = strtoll(s, &end, 10);
    return !*end && errno == 0 && s[strspn(s, " \t")] == *s;
}

static char *from_number(long long v)
{
    char buf[NUM_MAX];
    snprintf(buf, sizeof buf, "%lld", v);
    return strdup(buf);
}

static bool is_null(const char *s)
{
    long long v;
    return !*s || (is_integer(s, &v) && v == 0);
}

static bool accept(const char *op)
{
    if (ntok > 0 && strcmp(*tok, op) == 0) {
        tok++;
        ntok--;
        return true;
    }
    return false;
}

static char *take(void)
{
    if (ntok == 0)
        fail("syntax error: missing argument");
    ntok--;
    return *tok++;
}

static char *parse_or(void);

/* "s : re": the first \(group\) matched, or how many bytes matched. */
static char *match(const char *s, const char *re)
{
    regex_t r;
    char anchored[PATH_MAX];
    snprintf(anchored, sizeof anchored, "^%s", re);
    if (regcomp(&r, anchored, 0) != 0)
        fail("invalid regular expression");
    regmatch_t m[2];
    char *out;
    if (regexec(&r, s, 2, m, 0) != 0)
        out = strdup(r.re_nsub > 0 ? "" : "0");
    else if (r.re_nsub > 0 && m[1].rm_so >= 0)
        out = strndup(s + m[1].rm_so, (size_t)(m[1].rm_eo - m[1].rm_so));
    else
        out = from_number(m[0].rm_eo);
    regfree(&r);
    return out;
}

static char *parse_primary(void)
{
    if (accept("(")) {
        char *v = parse_or();
        if (!accept(")"))
            fail("syntax error: expecting ')'");
        return v;
    }
    if (accept("length"))
        return from_number((long long)strlen(take()));
    if (accept("match")) {
        char *s = take();
        return match(s, take());
    }
    if (accept("index")) {
        char *s = take(), *chars = take();
        size_t at = strcspn(s, chars);
        return from_number(s[at] ? (long long)at + 1 : 0);
    }
    if (accept("substr")) {
        char *s = take(), *p = take(), *l = take();
        long long pos, len, slen = (long long)strlen(s);
        if (!is_integer(p, &pos) || !is_integer(l, &len) || pos < 1 ||
            len < 1 || pos > slen)
            return strdup("");
        return strndup(s + pos - 1, (size_t)len);
    }
    accept("+"); /* GNU: "+ token" is the token, whatever it is */
    return strdup(take());
}

static char *parse_match(void)
{
    char *v = parse_primary();
    while (accept(":")) {
        char *re = parse_primary();
        char *m = match(v, re);
        free(v);
        free(re);
        v = m;
    }
    return v;
}

static long long number(const char *s)
{
    long long v;
    if (!is_integer(s, &v))
        fail("non-integer argument");
    return v;
}

static char *parse_mul(void)
{
    char *v = parse_match();
    for (;;) {
        int op = accept("*") ? '*' : accept("/") ? '/' : accept("%") ? '%' : 0;
        if (!op)
            return v;
        char *w = parse_match();
        long long a = number(v), b = number(w);
        if (op != '*' && b == 0)
            fail("division by zero");
        free(v);
        free(w);
        v = from_number(op == '*' ? a * b : op == '/' ? a / b : a % b);
    }
}

static char *parse_add(void)
{
    char *v = parse_mul();
    for (;;) {
        int op = accept("+") ? '+' : accept("-") ? '-' : 0;
        if (!op)
            return v;
        char *w = parse_mul();
        long long a = number(v), b = number(w);
        free(v);
        free(w);
        v = from_number(op == '+' ? a + b : a - b);
    }
}

static char *parse_compare(void)
{
    static const char *const ops[] = {"<", "<=", "=", "==", "!=", ">=", ">"};
    char *v = parse_add();
    for (;;) {
        int op = -1;
        for (int i = 0; i < (int)(sizeof ops / sizeof ops[0]) && op < 0; i++)
            if (accept(ops[i]))
                op = i;
        if (op < 0)
            return v;
        char *w = parse_add();
        long long a, b;
        int c = is_integer(v, &a) && is_integer(w, &b) ? (a > b) - (a < b)
                                                       : strcmp(v, w);
        bool r = op == 0   ? c < 0
                 : op == 1 ? c <= 0
                 : op <= 3 ? c == 0
                 : op == 4 ? c != 0
                 : op == 5 ? c >= 0
                           : c > 0;
        free(v);
        free(w);
        v = from_number(r);
    }
}

static char *parse_and(void)
{
    char *v = parse_compare();
    while (accept("&")) {
        char *w = parse_compare();
        if (is_null(v) || is_null(w)) {
            free(v);
            v = strdup("0");
        }
        free(w);
    }
    return v;
}

static char *parse_or(void)
{
    char *v = parse_and();
    while (accept("|")) {
        char *w = parse_and();
        if (is_null(v)) {
            free(v);
            v = is_null(w) ? strdup("0") : w;
        } else {
            free(w);
        }
    }
    return v;
}

int main(int argc, char **argv)
{
    if (argc == 2)
        usage_help(argc, argv, USAGE);
    tok = argv + 1;
    ntok = argc - 1;
    accept("--");
    if (ntok == 0)
        fail("missing operand");
    char *v = parse_or();
    if (ntok > 0)
        fail("syntax error: unexpected argument");
    puts(v);
    return is_null(v) ? EXPR_FALSE : 0;
}
