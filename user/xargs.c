/*
 * xargs: runs a command with arguments read from standard input.
 *
 * Input is cut into arguments at blanks and newlines, with '...', "..."
 * and backslash quoting as POSIX's xargs reads them (-0: at NUL bytes
 * only, no quoting; -d c: at c). They are appended to the command (echo
 * by default) in batches: -n N arguments at most per run, else as many
 * as fit. -I R runs the command once per input line, R in its arguments
 * replaced by the line. -r runs nothing for empty input; -t prints each
 * command on standard error first. The status is GNU's: 123 when a run
 * failed, 124 when one exited 255, 126 or 127 when the command could not
 * run or was not found.
 *
 * See: docs/userland.md
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "usage.h"

#define USAGE                                                                  \
    "usage: xargs [-0rt] [-d c] [-n max] [-I replace] [command [arg...]]\n"
#define XARGS_MAX        4096 /* arguments in one run */
#define XARGS_FAILED     123
#define XARGS_STOPPED    124
#define XARGS_CANNOT_RUN 126
#define XARGS_NOT_FOUND  127
#define EXIT_STOP        255

static struct {
    bool nul, no_empty, trace;
    int delim; /* -d's byte, or -1 */
    long max_args;
    const char *replace;
} opt = {.delim = -1};

/* A growable string. */
struct word {
    char *s;
    size_t len, cap;
};

static void add_char(struct word *w, char c)
{
    if (w->len + 2 > w->cap) {
        w->cap = w->cap ? w->cap * 2 : 64;
        w->s = realloc(w->s, w->cap);
        if (!w->s) {
            fputs("xargs: out of memory\n", stderr);
            exit(1);
        }
    }
    w->s[w->len++] = c;
    w->s[w->len] = '\0';
}

/*
 * Reads the next argument (a whole line for -I) into w; false at the end
 * of input.
 */
static bool next_arg(struct word *w)
{
    int c, quote = 0;
    bool any = false;
    w->len = 0;
    add_char(w, 0);
    w->len = 0;
    while ((c = getchar()) != EOF) {
        if (opt.nul || opt.delim >= 0) {
            if (c == (opt.nul ? 0 : opt.delim))
                return true;
            add_char(w, (char)c);
            any = true;
            continue;
        }
        if (quote) {
            if (c == quote)
                quote = 0;
            else
                add_char(w, (char)c);
            continue;
        }
        if (c == '\n' || (!opt.replace && (c == ' ' || c == '\t'))) {
            if (any)
                return true;
            continue;
        }
        if (opt.replace && !any && (c == ' ' || c == '\t'))
            continue; /* -I: blanks at the start of a line are dropped */
        any = true;
        if (c == '\'' || c == '"')
            quote = c;
        else if (c == '\\' && (c = getchar()) != EOF)
            add_char(w, (char)c);
        else
            add_char(w, (char)c);
    }
    return any;
}

/* Runs argv; returns the status xargs takes from it (0 when it went well). */
static int run(char **argv)
{
    if (opt.trace) {
        for (char **a = argv; *a; a++)
            fprintf(stderr, "%s%s", a == argv ? "" : " ", *a);
        fputc('\n', stderr);
    }
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        execvp(argv[0], argv);
        int err = errno;
        fprintf(stderr, "xargs: %s: %s\n", argv[0], strerror(err));
        _exit(err == ENOENT ? XARGS_NOT_FOUND : XARGS_CANNOT_RUN);
    }
    int st;
    if (pid < 0 || waitpid(pid, &st, 0) < 0) {
        perror("xargs");
        return XARGS_CANNOT_RUN;
    }
    if (!WIFEXITED(st))
        return XARGS_STOPPED + 1;
    int code = WEXITSTATUS(st);
    if (code == EXIT_STOP)
        return XARGS_STOPPED;
    if (code == XARGS_NOT_FOUND || code == XARGS_CANNOT_RUN)
        return code;
    return code ? XARGS_FAILED : 0;
}

/* -I: one run per line, the replace string swapped for the line. */
static int run_replacing(char **cmd, int ncmd)
{
    struct word w = {0};
    int status = 0;
    char *argv[XARGS_MAX];
    while (next_arg(&w)) {
        for (int i = 0; i < ncmd; i++) {
            const char *at = strstr(cmd[i], opt.replace);
            if (!at) {
                argv[i] = cmd[i];
                continue;
            }
            size_t rl = strlen(opt.replace);
            size_t len = strlen(cmd[i]) - rl + w.len + 1;
            argv[i] = malloc(len);
            if (!argv[i])
                return 1;
            snprintf(argv[i], len, "%.*s%s%s", (int)(at - cmd[i]), cmd[i], w.s,
                     at + rl);
        }
        argv[ncmd] = NULL;
        int r = run(argv);
        for (int i = 0; i < ncmd; i++)
            if (argv[i] != cmd[i])
                free(argv[i]);
        if (r == XARGS_STOPPED || r >= XARGS_CANNOT_RUN)
            return r;
        status = status ? status : r;
    }
    return status;
}

static int run_batches(char **cmd, int ncmd)
{
    static char *argv[XARGS_MAX + 1];
    struct word w = {0};
    int status = 0, n = ncmd;
    bool more = true, ran = false;
    memcpy(argv, cmd, (size_t)ncmd * sizeof *argv);
    while (more) {
        more = next_arg(&w);
        if (more) {
            argv[n] = strdup(w.s);
            if (!argv[n++])
                return 1;
        }
        bool full =
            n == XARGS_MAX || (opt.max_args > 0 && n - ncmd == opt.max_args);
        if (full || (!more && (n > ncmd || (!ran && !opt.no_empty)))) {
            argv[n] = NULL;
            int r = run(argv);
            ran = true;
            while (n > ncmd)
                free(argv[--n]);
            if (r == XARGS_STOPPED || r >= XARGS_CANNOT_RUN)
                return r;
            status = status ? status : r;
        }
    }
    return status;
}

int main(int argc, char **argv)
{
    usage_help(argc > 1 ? 2 : argc, argv, USAGE);
    int o;
    while ((o = getopt(argc, argv, "+0rtd:n:I:")) != -1) {
        char *end;
        if (o == '0')
            opt.nul = true;
        else if (o == 'r')
            opt.no_empty = true;
        else if (o == 't')
            opt.trace = true;
        else if (o == 'd' && optarg[0] && !optarg[1])
            opt.delim = (unsigned char)optarg[0];
        else if (o == 'n' && (opt.max_args = strtol(optarg, &end, 10)) > 0 &&
                 !*end)
            continue;
        else if (o == 'I' && optarg[0])
            opt.replace = optarg;
        else
            usage_fail(USAGE, 1);
    }
    static char *echo[] = {"echo", NULL};
    char **cmd = optind < argc ? argv + optind : echo;
    int ncmd = optind < argc ? argc - optind : 1;
    if (ncmd >= XARGS_MAX)
        usage_fail(USAGE, 1);
    return opt.replace ? run_replacing(cmd, ncmd) : run_batches(cmd, ncmd);
}
