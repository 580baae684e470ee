/*
 * Arithmetic expansion: $((expression)) on long integers.
 *
 * A small recursive-descent evaluator, one function per precedence level
 * as in C: || && (== !=) (< <= > >=) (+ -) (* / %) and unary - + !, with
 * parentheses. Names stand for their variables' values ($i and i alike;
 * unset or non-numeric is 0), so `i=$((i + 1))` counts a loop. Division
 * by zero and stray characters are reported once and set
 * sh.expand_failed, so the command is not run and its status is 1.
 *
 * See: docs/userland.md
 */
#include "sh.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

struct arith {
    const char *s;
    bool bad;
    const char *why; /* the error to report, when bad */
};

static long or_expr(struct arith *a);

static void blanks(struct arith *a)
{
    while (isspace((unsigned char)*a->s))
        a->s++;
}

static bool take(struct arith *a, const char *op)
{
    blanks(a);
    size_t n = strlen(op);
    if (strncmp(a->s, op, n) != 0)
        return false;
    /* "<" must not take the start of "<=", nor "=" of "==" */
    if (n == 1 && (a->s[1] == '=' || (op[0] == '&' && a->s[1] == '&') ||
                   (op[0] == '|' && a->s[1] == '|')))
        return false;
    a->s += n;
    return true;
}

static long primary(struct arith *a)
{
    blanks(a);
    if (take(a, "(")) {
        long v = or_expr(a);
        if (!take(a, ")"))
            a->bad = true;
        return v;
    }
    if (take(a, "-"))
        return -primary(a);
    if (take(a, "+"))
        return primary(a);
    if (take(a, "!"))
        return !primary(a);
    if (*a->s == '$')
        a->s++;
    if (isdigit((unsigned char)*a->s))
        return strtol(a->s, (char **)&a->s, 10);
    size_t n = 0;
    while (isalnum((unsigned char)a->s[n]) || a->s[n] == '_')
        n++;
    if (n == 0 || !var_is_name(a->s, n)) {
        a->bad = true;
        return 0;
    }
    char *name = strndup(a->s, n);
    const char *v = var_get(name);
    free(name);
    a->s += n;
    return v ? strtol(v, NULL, 10) : 0;
}

static long mul_expr(struct arith *a)
{
    long v = primary(a);
    for (;;) {
        if (take(a, "*")) {
            v *= primary(a);
        } else if (take(a, "/") || take(a, "%")) {
            char op = a->s[-1];
            long d = primary(a);
            if (d == 0) {
                a->why = "division by zero";
                a->bad = true;
                return 0;
            }
            v = op == '/' ? v / d : v % d;
        } else {
            return v;
        }
    }
}

static long add_expr(struct arith *a)
{
    long v = mul_expr(a);
    for (;;) {
        if (take(a, "+"))
            v += mul_expr(a);
        else if (take(a, "-"))
            v -= mul_expr(a);
        else
            return v;
    }
}

static long cmp_expr(struct arith *a)
{
    long v = add_expr(a);
    for (;;) {
        if (take(a, "<="))
            v = v <= add_expr(a);
        else if (take(a, ">="))
            v = v >= add_expr(a);
        else if (take(a, "<"))
            v = v < add_expr(a);
        else if (take(a, ">"))
            v = v > add_expr(a);
        else
            return v;
    }
}

static long eq_expr(struct arith *a)
{
    long v = cmp_expr(a);
    for (;;) {
        if (take(a, "=="))
            v = v == cmp_expr(a);
        else if (take(a, "!="))
            v = v != cmp_expr(a);
        else
            return v;
    }
}

static long and_expr(struct arith *a)
{
    long v = eq_expr(a);
    while (take(a, "&&")) {
        long r = eq_expr(a);
        v = v && r;
    }
    return v;
}

static long or_expr(struct arith *a)
{
    long v = and_expr(a);
    while (take(a, "||")) {
        long r = and_expr(a);
        v = v || r;
    }
    return v;
}

long arith_eval(const char *expr)
{
    struct arith a = {.s = expr};
    long v = or_expr(&a);
    blanks(&a);
    if (a.bad || *a.s) {
        sh_error("%s: %s", expr, a.why ? a.why : "bad arithmetic expression");
        sh.expand_failed = true;
        return 0;
    }
    return v;
}
