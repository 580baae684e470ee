/*
 * Arithmetic expansion: $((expression)) on long integers, as C has them.
 *
 * Recursive descent with one loop for all binary operators, climbing by
 * precedence (the table below, C's order): then ?: and the assignments
 * (= += -= *= /= %= <<= >>= &= ^= |=) on top, and unary - + ! ~ and
 * parentheses at the bottom. Numbers are decimal, octal (0 first) or hex
 * (0x). Names stand for their variables' values ($i and i alike; unset or
 * empty is 0, and a value is itself evaluated, as dash does), so
 * `i=$((i + 1))` counts a loop. The side not taken of && || and ?: is
 * parsed with `skip` set: no assignment, no division error, as in C.
 * Division by zero and stray characters are reported once and set
 * sh.expand_failed, so the command is not run.
 *
 * See: docs/userland.md
 */
#include "sh.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ARITH_DEPTH_MAX 64 /* a variable naming itself stops here */

struct arith {
    const char *s;
    int skip; /* > 0: evaluating a side that is not taken */
    int depth;
    const char *why; /* the first error, when there is one */
};

static long assign_expr(struct arith *a);
static long eval_text(const char *text, struct arith *parent);

static void blanks(struct arith *a)
{
    while (isspace((unsigned char)*a->s))
        a->s++;
}

static void bad(struct arith *a, const char *why)
{
    if (!a->why)
        a->why = why;
}

/* The binary operators by precedence, high to low, with their level. */
static const struct {
    const char *op;
    int prec;
} binops[] = {
    {"*", 10}, {"/", 10}, {"%", 10}, {"+", 9}, {"-", 9}, {"<<", 8},
    {">>", 8}, {"<=", 7}, {">=", 7}, {"<", 7}, {">", 7}, {"==", 6},
    {"!=", 6}, {"&&", 2}, {"||", 1}, {"&", 5}, {"^", 4}, {"|", 3},
};

/* The binary operator at a->s (not an assignment), or -1. */
static int binop_at(struct arith *a)
{
    blanks(a);
    for (size_t i = 0; i < sizeof binops / sizeof binops[0]; i++) {
        size_t n = strlen(binops[i].op);
        if (strncmp(a->s, binops[i].op, n) != 0)
            continue;
        if (a->s[n] == '=' && strcmp(binops[i].op, "==") &&
            strcmp(binops[i].op, "!=") && strcmp(binops[i].op, "<=") &&
            strcmp(binops[i].op, ">="))
            return -1; /* "+=" and the like are assignments */
        return (int)i;
    }
    return -1;
}

static long number(struct arith *a)
{
    char *end;
    long v = strtol(a->s, &end, 0);
    if (isalnum((unsigned char)*end) || *end == '_')
        bad(a, "bad number");
    a->s = end;
    return v;
}

/* A name's value: its text evaluated (empty or unset: 0). */
static long name_value(struct arith *a, const char *name)
{
    const char *v = var_get(name);
    if (!v || !*v)
        return 0;
    return eval_text(v, a);
}

static long unary(struct arith *a)
{
    blanks(a);
    char c = *a->s;
    if (c == '(') {
        a->s++;
        long v = assign_expr(a);
        blanks(a);
        if (*a->s != ')')
            bad(a, "missing ')'");
        else
            a->s++;
        return v;
    }
    if (c == '-' || c == '+' || c == '!' || c == '~') {
        a->s++;
        long v = unary(a);
        return c == '-' ? -v : c == '+' ? v : c == '!' ? !v : ~v;
    }
    if (c == '$')
        c = *++a->s;
    if (isdigit((unsigned char)c))
        return number(a);
    size_t n = 0;
    while (isalnum((unsigned char)a->s[n]) || a->s[n] == '_')
        n++;
    if (n == 0 || !var_is_name(a->s, n)) {
        bad(a, "bad arithmetic expression");
        return 0;
    }
    char *name = strndup(a->s, n);
    a->s += n;
    long v = name_value(a, name);
    free(name);
    return v;
}

static long apply(struct arith *a, const char *op, long l, long r)
{
    if ((op[0] == '/' || op[0] == '%') && r == 0) {
        if (!a->skip)
            bad(a, "division by zero");
        return 0;
    }
    switch (op[0]) {
    case '*':
        return l * r;
    case '/':
        return l / r;
    case '%':
        return l % r;
    case '+':
        return l + r;
    case '-':
        return l - r;
    case '<':
        return op[1] == '<' ? l << r : op[1] == '=' ? l <= r : l < r;
    case '>':
        return op[1] == '>' ? l >> r : op[1] == '=' ? l >= r : l > r;
    case '=':
        return l == r;
    case '!':
        return l != r;
    case '&':
        return op[1] == '&' ? l && r : l & r;
    case '|':
        return op[1] == '|' ? l || r : l | r;
    default:
        return l ^ r;
    }
}

/* Binary operators of level min_prec and above, by precedence climbing. */
static long binary(struct arith *a, int min_prec)
{
    long l = unary(a);
    int i;
    while (!a->why && (i = binop_at(a)) >= 0 && binops[i].prec >= min_prec) {
        const char *op = binops[i].op;
        a->s += strlen(op);
        /* the right of && || is not evaluated when the left decides */
        bool decided =
            (strcmp(op, "&&") == 0 && !l) || (strcmp(op, "||") == 0 && l);
        a->skip += decided;
        long r = binary(a, binops[i].prec + 1);
        a->skip -= decided;
        l = decided ? strcmp(op, "||") == 0 : apply(a, op, l, r);
    }
    return l;
}

static long cond_expr(struct arith *a)
{
    long c = binary(a, 1);
    blanks(a);
    if (*a->s != '?')
        return c;
    a->s++;
    a->skip += !c;
    long yes = assign_expr(a);
    a->skip -= !c;
    blanks(a);
    if (*a->s != ':') {
        bad(a, "expecting ':'");
        return 0;
    }
    a->s++;
    a->skip += !!c;
    long no = cond_expr(a);
    a->skip -= !!c;
    return c ? yes : no;
}

/* NAME op= expression, or a conditional expression. */
static long assign_expr(struct arith *a)
{
    static const char *const ops[] = {"<<=", ">>=", "+=", "-=", "*=", "/=",
                                      "%=",  "&=",  "^=", "|=", "=",  NULL};
    blanks(a);
    size_t n = 0;
    while (isalnum((unsigned char)a->s[n]) || a->s[n] == '_')
        n++;
    const char *after = a->s + n;
    while (isspace((unsigned char)*after))
        after++;
    for (int i = 0; n && var_is_name(a->s, n) && ops[i]; i++) {
        size_t len = strlen(ops[i]);
        if (strncmp(after, ops[i], len) != 0 || (len == 1 && after[1] == '='))
            continue;
        char *name = strndup(a->s, n);
        a->s = after + len;
        long r = assign_expr(a);
        long v = r;
        if (len > 1) {
            char op[3] = {ops[i][0], len == 3 ? ops[i][1] : '\0', '\0'};
            v = apply(a, op, name_value(a, name), r);
        }
        if (!a->skip && !a->why) {
            char num[24];
            snprintf(num, sizeof num, "%ld", v);
            var_set(name, num, false);
        }
        free(name);
        return v;
    }
    return cond_expr(a);
}

/* Evaluates text as a whole expression, errors going to parent. */
static long eval_text(const char *text, struct arith *parent)
{
    struct arith a = {
        .s = text, .skip = parent->skip, .depth = parent->depth + 1};
    if (a.depth > ARITH_DEPTH_MAX) {
        bad(parent, "expression recursion too deep");
        return 0;
    }
    long v = assign_expr(&a);
    blanks(&a);
    if (*a.s && !a.why)
        bad(&a, "bad arithmetic expression");
    if (a.why)
        bad(parent, a.why);
    return v;
}

long arith_eval(const char *expr)
{
    struct arith top = {.s = expr};
    if (!expr[strspn(expr, " \t\n")])
        return 0; /* $(()) is 0 */
    long v = eval_text(expr, &top);
    if (top.why) {
        sh_error("%s: %s", expr, top.why);
        sh.expand_failed = true;
        return 0;
    }
    return v;
}
