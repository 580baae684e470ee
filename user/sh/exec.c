/*
 * Execution: the parsed tree becomes processes.
 *
 * Lists, && and ||, !, if, while, until, for, case, { } groups and
 * function calls run in the shell itself, one node after the other. A
 * pipeline of several commands forks one child per command; between
 * neighbours a pipe() joins one's descriptor 1 to the next one's 0. A ( )
 * subshell is one forked child running its list. A simple command runs a
 * function or a builtin in the shell, or forks a child that execve()s the
 * program found on PATH. In each child, in this order: its process group
 * is set, SIGINT and SIGQUIT go back to their default action (the shell
 * ignores them on a terminal, and an ignored signal stays ignored across
 * execve), the pipe ends are moved to 0 and 1, the redirections are
 * opened over them and the program replaces the child. The shell waits
 * for every child of a pipeline (jobs.c), its status being the last one's.
 *
 * On a terminal (sh.interactive) each job gets its own process group, led
 * by its first child, and the shell hands that group the terminal
 * (tcsetpgrp) for as long as it waits; so ctrl-c, which the terminal turns
 * into SIGINT for the foreground group, ends the job and not the shell.
 *
 * Redirections of a command run in the shell (a builtin, a function, a
 * compound command) are applied over copies of descriptors 0-9 that are
 * put back afterwards; `exec` with no command keeps them. break, continue,
 * return and exit unwind by flags (sh.breaking...) that every list and
 * loop checks; set -e is checked after each simple command, pipeline and
 * subshell, except where a condition is being run (sh.cond).
 *
 * See: docs/userland.md
 */
#include "sh.h"

#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define REDIR_SAVED_FDS 10  /* redirections of descriptors 0-9 are put back */
#define SAVE_BASE       10  /* where the copies of saved descriptors go */
#define FUNC_DEPTH_MAX  400 /* calls deep: far below what the stack holds */

struct shell sh;

void exec_give_terminal(pid_t pgid)
{
    if (sh.interactive)
        tcsetpgrp(STDIN_FILENO, pgid);
}

int exec_status(int wstatus)
{
    if (WIFSIGNALED(wstatus))
        return SH_STATUS_SIGNAL + WTERMSIG(wstatus);
    return WEXITSTATUS(wstatus);
}

bool exec_unwinding(void)
{
    return sh.exiting || sh.interrupted || sh.breaking || sh.continuing ||
           sh.returning;
}

void exec_exit(int status)
{
    char *trap = sh.trap_exit;
    if (trap) {
        sh.trap_exit = NULL; /* once, even if it exits itself */
        sh.exiting = false;
        sh.last_status = status;
        exec_text(trap);
        if (sh.exiting)
            status = sh.exit_status;
    }
    fflush(NULL);
    _exit(status);
}

/* ---- functions ---- */

struct func {
    char *name;
    struct node *body;
    struct func *next;
};

static struct func *funcs;

struct node *func_get(const char *name)
{
    for (struct func *f = funcs; f; f = f->next)
        if (strcmp(f->name, name) == 0)
            return f->body;
    return NULL;
}

void func_define(const char *name, struct node *body)
{
    struct func **pf = &funcs;
    for (; *pf; pf = &(*pf)->next) {
        if (strcmp((*pf)->name, name) == 0) {
            struct func *f = *pf;
            node_free(f->body);
            *pf = f->next;
            free(f->name);
            free(f);
            break;
        }
    }
    if (!body)
        return;
    struct func *f = calloc(1, sizeof *f);
    f->name = strdup(name);
    f->body = body;
    body->refs++;
    f->next = funcs;
    funcs = f;
}

static int call_function(struct node *body, int argc, char **argv)
{
    if (sh.funcs >= FUNC_DEPTH_MAX) {
        sh_error("%s: functions nested too deeply", argv[0]);
        sh.exiting = true; /* unwind every call, as a crash would not */
        sh.exit_status = SH_STATUS_SYNTAX;
        return SH_STATUS_SYNTAX;
    }
    int old_argc = vars_arg_count() + 1;
    char **old_argv = vars_args();
    char **args = calloc((size_t)argc + 1, sizeof *args);
    args[0] = old_argv ? old_argv[0] : (char *)SH_NAME;
    for (int i = 1; i < argc; i++)
        args[i] = argv[i];
    vars_set_args(argc, args);
    int mark = vars_frame_push();
    int loops = sh.loops;
    sh.loops = 0; /* a break in a function leaves no loop of the caller */
    body->refs++; /* the function may redefine itself while it runs */
    sh.funcs++;
    int status = exec_node(body);
    sh.funcs--;
    node_free(body);
    sh.loops = loops;
    if (sh.returning) {
        sh.returning = false;
        status = sh.last_status;
    }
    vars_frame_pop(mark);
    vars_set_args(old_argc, old_argv);
    free(args);
    return sh.last_status = status;
}

/* ---- programs ---- */

/* A NAME=value word (the name unquoted). */
static bool is_assignment(const char *w)
{
    const char *eq = strchr(w, '=');
    return eq && var_is_name(w, (size_t)(eq - w));
}

static bool assign(const char *w, bool export)
{
    const char *eq = strchr(w, '=');
    char *name = strndup(w, (size_t)(eq - w));
    char *value = expand_one(eq + 1);
    bool ok = var_set(name, value, export);
    free(name);
    free(value);
    if (!ok && !sh.interactive) { /* POSIX: a script ends there */
        sh.exiting = true;
        sh.exit_status = SH_STATUS_SYNTAX;
    }
    return ok;
}

/* Runs argv[0] in place of this (child) process; never returns. */
static void exec_program(char **argv)
{
    char **envp = vars_environ();
    const char *name = argv[0];
    int err = ENOENT;
    fflush(NULL);
    if (strchr(name, '/')) {
        execve(name, argv, envp);
        err = errno;
    } else {
        const char *path = var_get("PATH");
        char *dirs = strdup(path ? path : SH_DEFAULT_PATH);
        char *save = NULL;
        for (char *d = strtok_r(dirs, ":", &save); d;
             d = strtok_r(NULL, ":", &save)) {
            char full[1024];
            struct stat st;
            snprintf(full, sizeof full, "%s%s%s", d,
                     d[strlen(d) - 1] == '/' ? "" : "/", name);
            if (stat(full, &st) == 0 && S_ISREG(st.st_mode)) {
                execve(full, argv, envp);
                err = errno;
                break;
            }
        }
        free(dirs);
        if (err == ENOENT) {
            sh_error("%s: command not found", name);
            _exit(SH_STATUS_NOT_FOUND);
        }
    }
    if (err == ENOEXEC)
        sh_error("%s: cannot execute: not an ELF file nor a #! script", name);
    else
        sh_error("%s: %s", name, strerror(err));
    _exit(err == ENOENT ? SH_STATUS_NOT_FOUND : SH_STATUS_NOT_EXEC);
}

/* What a new child does before it becomes its command. */
static void child_setup(pid_t pgid, bool background)
{
    if (sh.interactive)
        setpgid(0, pgid);
    if (sh.interactive || !background) {
        signal(SIGINT, SIG_DFL);
        signal(SIGQUIT, SIG_DFL);
    }
    if (sh.interactive) {
        /* The shell ignores them itself; its jobs stop (ctrl-z, SIGTTIN).
         * A script leaves them as it found them, '' traps included. */
        signal(SIGTTOU, SIG_DFL);
        signal(SIGTTIN, SIG_DFL);
        signal(SIGTSTP, SIG_DFL);
    }
    if (background && !sh.interactive) {
        /* POSIX: a script's background jobs ignore ctrl-c and get no
         * terminal input. */
        signal(SIGINT, SIG_IGN);
        int null = open("/dev/null", O_RDONLY);
        if (null >= 0 && null != STDIN_FILENO) {
            dup2(null, STDIN_FILENO);
            close(null);
        }
    }
    trap_reset_child();     /* a subshell's traps start unset */
    sh.interactive = false; /* no job control inside a job */
}

/* Forks one child for a job; it runs fn(arg) and exits. */
static pid_t fork_job(pid_t pgid, bool background)
{
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0)
        sh_error("fork: %s", strerror(errno));
    if (pid == 0)
        child_setup(pgid, background);
    if (pid > 0 && sh.interactive)
        setpgid(pid, pgid ? pgid : pid); /* also here: whichever runs first */
    return pid;
}

/* Waits for a foreground job of the given processes, typed as text. */
static int wait_job(pid_t *pids, int n, const char *text)
{
    pid_t pgid = pids[0] > 0 ? pids[0] : 0;
    if (pgid)
        exec_give_terminal(pgid);
    int status = jobs_wait_foreground(pgid, pids, n, text);
    exec_give_terminal(sh.pgid);
    return status;
}

/* argv as one line, for a job's text (malloc'd). */
static char *join(char **argv)
{
    size_t len = 1;
    for (int i = 0; argv[i]; i++)
        len += strlen(argv[i]) + 1;
    char *text = calloc(1, len);
    for (int i = 0; argv[i]; i++) {
        if (i)
            strcat(text, " ");
        strcat(text, argv[i]);
    }
    return text;
}

int exec_external(char **argv)
{
    pid_t pid = fork_job(0, false);
    if (pid == 0)
        exec_program(argv);
    if (pid < 0)
        return 1;
    char *text = join(argv);
    int status = wait_job(&pid, 1, text);
    free(text);
    return status;
}

static void trace(char **argv, int from, int argc)
{
    if (!sh.opt_xtrace)
        return;
    const char *ps4 = var_get("PS4");
    fputs(ps4 ? ps4 : "+ ", stderr);
    for (int i = from; i < argc; i++)
        fprintf(stderr, "%s%s", i > from ? " " : "", argv[i]);
    fputc('\n', stderr);
}

/* The words of a simple command and their assignments, expanded. */
static char **expand_command(struct node *n, int *first, int *argc)
{
    *first = 0;
    while (*first < n->nwords && is_assignment(n->words[*first]))
        (*first)++;
    sh.expand_failed = false;
    return expand_words(n->words + *first, n->nwords - *first, argc);
}

/*
 * A command that runs in the shell: assignments alone, a function or a
 * builtin. Its redirections are put back after it, and so are its
 * assignments unless it is a special builtin (or there is no command).
 */
static int run_inside(struct node *n, int first, int argc, char **argv,
                      struct node *fn)
{
    int status = 0;
    int saved[REDIR_SAVED_FDS];
    redir_none_saved(saved);
    bool special = argc == 0 || builtin_special(argv[0]);
    char **old = calloc((size_t)first + 1, sizeof *old);
    bool *had = calloc((size_t)first + 1, sizeof *had);
    unsigned substs = sh.substs;
    for (int i = 0; i < first && status == 0; i++) {
        if (!special) {
            char *name = strndup(n->words[i], strcspn(n->words[i], "="));
            const char *v = var_get(name);
            had[i] = v != NULL;
            old[i] = v ? strdup(v) : NULL;
            free(name);
        }
        if (!assign(n->words[i], false))
            status = 1;
    }
    if (sh.expand_failed)
        status = 1;
    if (status == 0 && redir_apply(n->redirs, saved) < 0)
        status = SH_STATUS_REDIR;
    else if (status == 0 && argc == 0)
        /* POSIX: the status of the last $(...) in the assignments */
        status = sh.substs != substs ? sh.last_status : 0;
    else if (status == 0 && fn)
        status = call_function(fn, argc, argv);
    else if (status == 0)
        status = builtin_run(argc, argv);
    redir_restore(saved);
    for (int i = 0; i < first && !special; i++) {
        char *name = strndup(n->words[i], strcspn(n->words[i], "="));
        if (had[i])
            var_set(name, old[i], false);
        else
            var_unset(name);
        free(name);
        free(old[i]);
    }
    free(old);
    free(had);
    return status;
}

/*
 * A simple command. in_child: this process is already a child of its own
 * (a pipeline's), so a program replaces it rather than being forked.
 */
static int run_simple(struct node *n, bool in_child)
{
    int first, argc, status = 0;
    char **argv = expand_command(n, &first, &argc);
    if (sh.expand_failed) { /* reported already: the command is not run */
        argv_free(argv);
        if (!sh.interactive) {
            sh.exiting = true;
            sh.exit_status = SH_STATUS_SYNTAX;
        }
        return 1;
    }
    if (sh.opt_xtrace && (first || argc)) {
        char **both = calloc((size_t)(first + argc) + 1, sizeof *both);
        for (int i = 0; i < first; i++)
            both[i] = n->words[i];
        for (int i = 0; i < argc; i++)
            both[first + i] = argv[i];
        trace(both, 0, first + argc);
        free(both);
    }
    bool is_exec = argc > 0 && strcmp(argv[0], "exec") == 0;
    struct node *fn = argc > 0 ? func_get(argv[0]) : NULL;
    if (argc == 0 || fn || (builtin_is(argv[0]) && !is_exec)) {
        status = run_inside(n, first, argc, argv, fn);
    } else if (is_exec && argc == 1) {
        status = redir_apply(n->redirs, NULL) < 0 ? SH_STATUS_REDIR : 0;
    } else {
        pid_t pid = in_child || is_exec ? 0 : fork_job(0, false);
        if (pid == 0) {
            if (redir_apply(n->redirs, NULL) < 0)
                _exit(SH_STATUS_REDIR);
            for (int i = 0; i < first; i++)
                assign(n->words[i], true);
            exec_program(argv + is_exec);
        }
        if (pid > 0) {
            char *text = n->text ? strdup(n->text) : join(argv);
            status = wait_job(&pid, 1, text);
            free(text);
        } else {
            status = 1;
        }
    }
    argv_free(argv);
    return status;
}

/* A command of a pipeline or a subshell, in a child; never returns. */
static void exec_in_child(struct node *n)
{
    sh.cond = 0;
    int status = n->kind == N_CMD ? run_simple(n, true) : exec_node(n);
    exec_exit(sh.exiting ? sh.exit_status : status);
}

/*
 * Starts the n commands of a pipeline. In the background it becomes a job;
 * in the foreground the shell waits for it and returns its status.
 */
static int run_pipeline(struct node **cmds, int n, bool background,
                        const char *text)
{
    pid_t *pids = calloc((size_t)n, sizeof *pids);
    pid_t pgid = 0;
    int prev_read = -1;
    for (int i = 0; i < n; i++) {
        int fds[2] = {-1, -1};
        if (i < n - 1 && pipe(fds) < 0) {
            sh_error("pipe: %s", strerror(errno));
            break;
        }
        pid_t pid = fork_job(pgid, background);
        if (pid == 0) {
            if (prev_read >= 0) {
                dup2(prev_read, STDIN_FILENO);
                close(prev_read);
            }
            if (fds[1] >= 0) {
                dup2(fds[1], STDOUT_FILENO);
                close(fds[1]);
                close(fds[0]);
            }
            exec_in_child(cmds[i]);
        }
        if (pid > 0 && pgid == 0)
            pgid = pid;
        pids[i] = pid;
        if (prev_read >= 0)
            close(prev_read);
        if (fds[1] >= 0)
            close(fds[1]);
        prev_read = fds[0];
    }
    if (prev_read >= 0)
        close(prev_read);
    int status = 0;
    if (background) {
        int job = jobs_add(pgid ? pgid : pids[0], pids, n, text);
        sh.last_bg = pids[n - 1];
        if (sh.interactive)
            fprintf(stderr, "[%d] %d\n", job, (int)pids[n - 1]);
    } else {
        status = wait_job(pids, n, text);
    }
    free(pids);
    return status;
}

/* The commands of a left-leaning tree of N_PIPE nodes, in order. */
static int flatten(struct node *n, struct node ***out)
{
    int count = 1;
    for (struct node *p = n; p->kind == N_PIPE; p = p->left)
        count++;
    *out = calloc((size_t)count, sizeof **out);
    int i = count - 1;
    for (; n->kind == N_PIPE; n = n->left)
        (*out)[i--] = n->right;
    (*out)[0] = n;
    return count;
}

static int run_job(struct node *n, bool background, const char *text)
{
    struct node **cmds;
    int count = flatten(n, &cmds);
    int status = run_pipeline(cmds, count, background, text);
    free(cmds);
    return status;
}

/* ---- the compound commands ---- */

/* After a loop's body: true if the loop must end now. */
static bool loop_done(void)
{
    if (sh.breaking) {
        sh.breaking--;
        return true;
    }
    if (sh.continuing > 1) {
        sh.continuing--;
        return true;
    }
    sh.continuing = 0;
    return exec_unwinding();
}

static int run_for(struct node *n)
{
    int argc, status = 0;
    sh.expand_failed = false;
    char **words = expand_words(n->words, n->nwords, &argc);
    sh.loops++;
    for (int i = 0; i < argc && !sh.expand_failed; i++) {
        if (!var_set(n->var, words[i], false)) {
            status = 1;
            break;
        }
        status = exec_node(n->right);
        if (loop_done())
            break;
    }
    sh.loops--;
    argv_free(words);
    return status;
}

static int run_while(struct node *n)
{
    int status = 0;
    sh.loops++;
    for (;;) {
        sh.cond++;
        int c = exec_node(n->left);
        sh.cond--;
        if (exec_unwinding()) {
            if (loop_done())
                break;
            continue;
        }
        if ((c == 0) != (n->kind == N_WHILE))
            break;
        status = exec_node(n->right);
        if (loop_done())
            break;
    }
    sh.loops--;
    return status;
}

static int run_case(struct node *n)
{
    char *word = expand_one(n->var);
    for (struct case_item *it = n->items; it; it = it->next) {
        for (int i = 0; i < it->npats; i++) {
            char *pat = expand_pattern(it->pats[i]);
            bool hit = fnmatch(pat, word, 0) == 0;
            free(pat);
            if (hit) {
                free(word);
                return it->body ? exec_node(it->body) : 0;
            }
        }
    }
    free(word);
    return 0;
}

static int run_subshell(struct node *n, struct node *inner)
{
    pid_t pid = fork_job(0, false);
    if (pid == 0) {
        if (redir_apply(n->redirs, NULL) < 0)
            _exit(SH_STATUS_REDIR);
        exec_in_child(inner);
    }
    return pid < 0 ? 1 : wait_job(&pid, 1, n->text ? n->text : "( ... )");
}

static int run_compound(struct node *n)
{
    switch (n->kind) {
    case N_IF: {
        sh.cond++;
        int c = exec_node(n->left);
        sh.cond--;
        if (exec_unwinding())
            return c;
        if (c == 0)
            return exec_node(n->right);
        return n->other ? exec_node(n->other) : 0;
    }
    case N_WHILE:
    case N_UNTIL:
        return run_while(n);
    case N_FOR:
        return run_for(n);
    case N_CASE:
        return run_case(n);
    default: /* N_GROUP */
        return exec_node(n->left);
    }
}

/* set -e: a failure outside a condition ends the shell. */
static void check_errexit(int status)
{
    if (status != 0 && sh.opt_errexit && sh.cond == 0 && !sh.exiting) {
        sh.exiting = true;
        sh.exit_status = status;
    }
}

int exec_node(struct node *n)
{
    int status = 0;
    int saved[REDIR_SAVED_FDS];
    switch (n->kind) {
    case N_CMD:
        status = run_simple(n, false);
        check_errexit(status);
        break;
    case N_PIPE:
        status = run_job(n, false, n->text);
        check_errexit(status);
        break;
    case N_BG:
        status = run_job(n->left, true, n->text);
        break;
    case N_SEQ:
        exec_node(n->left);
        status = exec_unwinding() ? sh.last_status : exec_node(n->right);
        break;
    case N_AND:
    case N_OR:
        sh.cond++;
        status = exec_node(n->left);
        sh.cond--;
        if ((status == 0) == (n->kind == N_AND) && !exec_unwinding())
            status = exec_node(n->right);
        break;
    case N_NOT:
        sh.cond++;
        status = !exec_node(n->left);
        sh.cond--;
        break;
    case N_SUBSHELL:
        status = run_subshell(n, n->left);
        check_errexit(status);
        break;
    case N_FUNC:
        func_define(n->var, n->left);
        break;
    default:
        redir_none_saved(saved);
        if (redir_apply(n->redirs, saved) < 0)
            status = SH_STATUS_REDIR;
        else
            status = run_compound(n);
        redir_restore(saved);
        break;
    }
    sh.last_status = status;
    if (n->kind == N_CMD || n->kind == N_PIPE || n->kind == N_SUBSHELL)
        trap_run_pending();
    return status;
}

int exec_text(const char *text)
{
    struct parser *p = parser_new(text, true);
    struct node *tree;
    enum parse_result r = PARSE_EMPTY;
    int status = sh.last_status;
    while (!exec_unwinding() && (r = parser_next(p, &tree)) == PARSE_OK) {
        status = exec_node(tree);
        node_free(tree);
    }
    if (!exec_unwinding() && r == PARSE_INCOMPLETE)
        sh_error("syntax error: unexpected end of file");
    if (!exec_unwinding() && r != PARSE_OK && r != PARSE_EMPTY) {
        status = sh.last_status = SH_STATUS_SYNTAX;
        if (!sh.interactive) {
            sh.exiting = true;
            sh.exit_status = SH_STATUS_SYNTAX;
        }
    }
    parser_free(p);
    return status;
}
