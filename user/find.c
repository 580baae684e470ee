/*
 * find: walks folders and acts on the files an expression selects.
 *
 *   find [path...] [expression]
 *   tests:    -name pat  -iname pat  -type f|d|l  -path pat  -empty
 *             -newer file -size [+-]N[ckMG]
 *   actions:  -print  -exec cmd {} \;  -exec cmd {} +  -delete
 *   options:  -maxdepth N  -mindepth N  -depth (implied by -delete)
 *   operators: ! -not  -a -and (or nothing)  -o -or  ( )
 *
 * The expression is parsed once into a tree (one function per level of
 * precedence, as POSIX gives it) and evaluated on every file; with no
 * action in it, -print is added. Folders are walked depth-first, each
 * entry in the order readdir() gives (on FAT, the order of creation).
 *
 * See: docs/userland.md
 */
#include <dirent.h>
#include <errno.h>
#include <fnmatch.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "usage.h"

#define USAGE      "usage: find [path...] [expression]\n"
#define FIND_ARGS  4096 /* the most arguments one -exec ... + collects */
#define BLOCK_SIZE 512
#define SIZE_UNITS "bckMG"

enum kind {
    N_AND,
    N_OR,
    N_NOT,
    N_TRUE,
    N_NAME,
    N_INAME,
    N_PATH,
    N_TYPE,
    N_EMPTY,
    N_NEWER,
    N_SIZE,
    N_PRINT,
    N_EXEC,
    N_DELETE
};

struct node {
    enum kind kind;
    struct node *l, *r;
    const char *arg;
    char type;        /* -type's letter; -size's sign */
    long long number; /* -size's count, -newer's time */
    long long unit;   /* -size's unit in bytes */
    char **argv;      /* -exec: the command, {} where the name goes */
    int argc;
    bool plus;    /* -exec ... + */
    char **batch; /* -exec ... +: names waiting */
    int nbatch;
};

static char **tok;
static int ntok, status;
static long maxdepth = -1, mindepth;
static bool has_action;
static bool depth_first; /* -delete, -depth: a folder after its contents */

__attribute__((noreturn)) static void bad(const char *msg, const char *arg)
{
    fprintf(stderr, "find: %s%s%s\n", msg, arg ? ": " : "", arg ? arg : "");
    exit(1);
}

static struct node *node(enum kind kind, struct node *l, struct node *r)
{
    struct node *n = calloc(1, sizeof *n);
    if (!n)
        bad("out of memory", NULL);
    n->kind = kind;
    n->l = l;
    n->r = r;
    return n;
}

static bool accept(const char *s)
{
    if (ntok > 0 && strcmp(*tok, s) == 0) {
        tok++;
        ntok--;
        return true;
    }
    return false;
}

static const char *take(const char *opt)
{
    if (ntok == 0)
        bad("missing argument to", opt);
    ntok--;
    return *tok++;
}

static struct node *parse_or(void);

static struct node *parse_exec(void)
{
    struct node *n = node(N_EXEC, NULL, NULL);
    n->argv = tok;
    while (ntok > 0 && strcmp(*tok, ";") != 0 &&
           !(strcmp(*tok, "+") == 0 && n->argc > 0 &&
             strcmp(tok[-1], "{}") == 0)) {
        tok++;
        ntok--;
        n->argc++;
    }
    if (ntok == 0 || n->argc == 0)
        bad("missing argument to", "-exec");
    n->plus = **tok == '+';
    if (n->plus && !(n->batch = calloc(FIND_ARGS, sizeof *n->batch)))
        bad("out of memory", NULL);
    tok++;
    ntok--;
    has_action = true;
    return n;
}

static struct node *parse_size(const char *s)
{
    struct node *n = node(N_SIZE, NULL, NULL);
    n->type = *s == '+' || *s == '-' ? *s++ : '=';
    char *end;
    n->number = strtoll(s, &end, 10);
    static const long long unit[] = {BLOCK_SIZE, 1, 2, 1 << 20, 1 << 30};
    const char *u = *end ? strchr(SIZE_UNITS, *end) : NULL;
    if (end == s || (*end && (!u || end[1])))
        bad("invalid -size", s);
    n->unit = unit[u ? u - SIZE_UNITS : 0];
    return n;
}

static struct node *parse_primary(void)
{
    if (accept("(")) {
        struct node *n = parse_or();
        if (!accept(")"))
            bad("missing ')'", NULL);
        return n;
    }
    if (accept("!") || accept("-not"))
        return node(N_NOT, parse_primary(), NULL);
    static const struct {
        const char *name;
        enum kind kind;
    } tests[] = {{"-name", N_NAME},
                 {"-iname", N_INAME},
                 {"-path", N_PATH},
                 {"-type", N_TYPE}};
    for (size_t i = 0; i < sizeof tests / sizeof tests[0]; i++) {
        if (accept(tests[i].name)) {
            struct node *n = node(tests[i].kind, NULL, NULL);
            n->arg = take(tests[i].name);
            if (n->kind == N_TYPE &&
                (!strchr("fdl", n->arg[0]) || !n->arg[0] || n->arg[1]))
                bad("unknown argument to -type", n->arg);
            n->type = n->arg[0];
            return n;
        }
    }
    if (accept("-maxdepth") || accept("-mindepth")) {
        long *d = strcmp(tok[-1], "-maxdepth") == 0 ? &maxdepth : &mindepth;
        const char *arg = take(tok[-1]);
        char *end;
        *d = strtol(arg, &end, 10);
        if (!*arg || *end || *d < 0)
            bad("invalid depth", arg);
        return node(N_TRUE, NULL, NULL);
    }
    if (accept("-newer")) {
        struct stat st;
        const char *arg = take("-newer");
        if (stat(arg, &st) != 0)
            bad(strerror(errno), arg);
        struct node *n = node(N_NEWER, NULL, NULL);
        n->number = st.st_mtime;
        return n;
    }
    if (accept("-size"))
        return parse_size(take("-size"));
    if (accept("-empty"))
        return node(N_EMPTY, NULL, NULL);
    if (accept("-true"))
        return node(N_TRUE, NULL, NULL);
    if (accept("-depth")) {
        depth_first = true;
        return node(N_TRUE, NULL, NULL);
    }
    if (accept("-print") || accept("-delete")) {
        has_action = true;
        depth_first |= tok[-1][1] == 'd';
        return node(tok[-1][1] == 'p' ? N_PRINT : N_DELETE, NULL, NULL);
    }
    if (accept("-exec"))
        return parse_exec();
    bad(ntok ? "unknown predicate" : "expected an expression",
        ntok ? *tok : NULL);
}

static struct node *parse_and(void)
{
    struct node *n = parse_primary();
    while (ntok > 0 && strcmp(*tok, "-o") != 0 && strcmp(*tok, "-or") != 0 &&
           strcmp(*tok, ")") != 0) {
        if (!accept("-a"))
            accept("-and");
        n = node(N_AND, n, parse_primary());
    }
    return n;
}

static struct node *parse_or(void)
{
    struct node *n = parse_and();
    while (accept("-o") || accept("-or"))
        n = node(N_OR, n, parse_and());
    return n;
}

/* Runs argv (a finished command line); returns whether it exited 0. */
static bool run(char **argv)
{
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        execvp(argv[0], argv);
        fprintf(stderr, "find: '%s': %s\n", argv[0], strerror(errno));
        _exit(1);
    }
    int st = 0;
    if (pid < 0 || waitpid(pid, &st, 0) < 0)
        return false;
    return WIFEXITED(st) && WEXITSTATUS(st) == 0;
}

/* -exec cmd {} ;: each {} becomes path. */
static bool exec_one(struct node *n, const char *path)
{
    char **argv = calloc((size_t)n->argc + 1, sizeof *argv);
    char *made[FIND_ARGS];
    int nmade = 0;
    if (!argv)
        bad("out of memory", NULL);
    for (int i = 0; i < n->argc; i++) {
        const char *a = n->argv[i], *brace = strstr(a, "{}");
        if (!brace || nmade == FIND_ARGS) {
            argv[i] = (char *)a;
            continue;
        }
        size_t len = strlen(a) + strlen(path);
        argv[i] = made[nmade++] = malloc(len);
        if (!argv[i])
            bad("out of memory", NULL);
        snprintf(argv[i], len, "%.*s%s%s", (int)(brace - a), a, path,
                 brace + 2);
    }
    bool ok = run(argv);
    while (nmade > 0)
        free(made[--nmade]);
    free(argv);
    return ok;
}

/* -exec cmd {} +: runs the names gathered so far. */
static void exec_batch(struct node *n)
{
    if (n->nbatch == 0)
        return;
    char **argv = calloc((size_t)(n->argc + n->nbatch), sizeof *argv);
    if (!argv)
        bad("out of memory", NULL);
    int k = 0;
    for (int i = 0; i < n->argc - 1; i++)
        argv[k++] = n->argv[i];
    for (int i = 0; i < n->nbatch; i++)
        argv[k++] = n->batch[i];
    if (!run(argv))
        status = 1;
    for (int i = 0; i < n->nbatch; i++)
        free(n->batch[i]);
    n->nbatch = 0;
    free(argv);
}

static void flush_batches(struct node *n)
{
    if (!n)
        return;
    if (n->kind == N_EXEC && n->plus)
        exec_batch(n);
    flush_batches(n->l);
    flush_batches(n->r);
}

static bool type_is(const struct stat *st, char t)
{
    return t == 'f'   ? S_ISREG(st->st_mode)
           : t == 'd' ? S_ISDIR(st->st_mode)
                      : S_ISLNK(st->st_mode);
}

static bool is_empty(const char *path, const struct stat *st)
{
    if (!S_ISDIR(st->st_mode))
        return S_ISREG(st->st_mode) && st->st_size == 0;
    DIR *d = opendir(path);
    struct dirent *e;
    bool empty = true;
    while (d && empty && (e = readdir(d)))
        empty = strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0;
    if (d)
        closedir(d);
    return empty;
}

static bool eval(struct node *n, const char *path, const char *base,
                 const struct stat *st)
{
    switch (n->kind) {
    case N_AND:
        return eval(n->l, path, base, st) && eval(n->r, path, base, st);
    case N_OR:
        return eval(n->l, path, base, st) || eval(n->r, path, base, st);
    case N_NOT:
        return !eval(n->l, path, base, st);
    case N_NAME:
    case N_INAME:
        return fnmatch(n->arg, base, n->kind == N_INAME ? FNM_CASEFOLD : 0) ==
               0;
    case N_PATH:
        return fnmatch(n->arg, path, 0) == 0;
    case N_TYPE:
        return type_is(st, n->type);
    case N_EMPTY:
        return is_empty(path, st);
    case N_NEWER:
        return st->st_mtime > n->number;
    case N_SIZE: { /* in units, rounded up, as GNU's -size counts */
        long long units = (st->st_size + n->unit - 1) / n->unit;
        return n->type == '+'   ? units > n->number
               : n->type == '-' ? units < n->number
                                : units == n->number;
    }
    case N_PRINT:
        puts(path);
        return true;
    case N_DELETE:
        if ((S_ISDIR(st->st_mode) ? rmdir(path) : unlink(path)) == 0)
            return true;
        fprintf(stderr, "find: cannot delete '%s': %s\n", path,
                strerror(errno));
        status = 1;
        return false;
    case N_EXEC:
        if (!n->plus)
            return exec_one(n, path);
        if (n->nbatch == FIND_ARGS)
            exec_batch(n);
        if (!(n->batch[n->nbatch++] = strdup(path)))
            bad("out of memory", NULL);
        return true;
    default:
        return true;
    }
}

static void walk(struct node *expr, const char *path, long depth)
{
    struct stat st;
    if (lstat(path, &st) != 0) {
        fprintf(stderr, "find: '%s': %s\n", path, strerror(errno));
        status = 1;
        return;
    }
    const char *slash = strrchr(path, '/');
    const char *base = slash && slash[1] ? slash + 1 : path;
    if (depth >= mindepth && !depth_first)
        eval(expr, path, base, &st);
    if (S_ISDIR(st.st_mode) && (maxdepth < 0 || depth < maxdepth)) {
        DIR *d = opendir(path);
        if (!d) {
            fprintf(stderr, "find: '%s': %s\n", path, strerror(errno));
            status = 1;
            return;
        }
        struct dirent *e;
        while ((e = readdir(d))) {
            if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
                continue;
            char child[PATH_MAX];
            snprintf(child, sizeof child, "%s%s%s", path,
                     path[strlen(path) - 1] == '/' ? "" : "/", e->d_name);
            walk(expr, child, depth + 1);
        }
        closedir(d);
    }
    if (depth >= mindepth && depth_first)
        eval(expr, path, base, &st);
}

int main(int argc, char **argv)
{
    usage_help(argc > 1 ? 2 : argc, argv, USAGE);
    int npaths = 1;
    while (npaths < argc && (argv[npaths][0] != '-' || !argv[npaths][1]) &&
           strcmp(argv[npaths], "(") != 0 && strcmp(argv[npaths], "!") != 0)
        npaths++;
    tok = argv + npaths;
    ntok = argc - npaths;
    struct node *expr = ntok ? parse_or() : node(N_TRUE, NULL, NULL);
    if (ntok > 0)
        bad("unexpected", *tok);
    if (!has_action)
        expr = node(N_AND, expr, node(N_PRINT, NULL, NULL));
    static char *here[] = {NULL, "."};
    char **paths = npaths > 1 ? argv : here;
    for (int i = 1; i < (npaths > 1 ? npaths : 2); i++)
        walk(expr, paths[i], 0);
    flush_batches(expr);
    return status;
}
