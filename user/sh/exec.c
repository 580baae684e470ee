/*
 * Execution: the parsed tree becomes processes.
 *
 * Lists, && and ||, if, while and for run in the shell itself, one node
 * after the other. A pipeline (one command is a pipeline of one) forks one
 * child per command; between neighbours a pipe() joins one's descriptor 1
 * to the next one's 0. In each child, in this order: its process group is
 * set, SIGINT and SIGQUIT go back to their default action (the shell
 * ignores them, and an ignored signal stays ignored across execve), the
 * pipe ends are moved to 0 and 1, the redirections are opened over them,
 * the words are expanded, and execve() replaces the child with the
 * program found on PATH. The shell meanwhile waits for every child of the
 * pipeline (jobs.c), its status being the last one's.
 *
 * On a terminal (sh.interactive) each pipeline gets its own process group,
 * led by its first child, and the shell hands that group the terminal
 * (tcsetpgrp) for as long as it waits; so ctrl-c, which the terminal turns
 * into SIGINT for the foreground group, ends the job and not the shell.
 * The shell takes the terminal back when the job is over.
 *
 * Builtins (cd, exit...) must change the shell itself, so a builtin that
 * is not part of a pipeline runs in the shell, with its redirections
 * applied over copies of 0, 1 and 2 that are put back afterwards.
 *
 * See: docs/userland.md
 */
#include "sh.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define SAVED_FDS 10   /* redirections of descriptors 0-9 are put back */
#define SAVE_BASE 10   /* where the copies of saved descriptors go */
#define NEW_MODE  0666 /* FAT32 ignores it; as umask 0 would give */

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

/* ---- redirections ---- */

/*
 * Opens one redirection's file onto its descriptor. If saved is not NULL,
 * the descriptor's old file is kept there first (-1: it was closed).
 */
static int apply_redirs(struct redir *r, int *saved)
{
    for (; r; r = r->next) {
        if (saved && r->fd < SAVED_FDS && saved[r->fd] == -2)
            saved[r->fd] = fcntl(r->fd, F_DUPFD_CLOEXEC, SAVE_BASE);
        if (r->kind == REDIR_DUP) {
            if (dup2(r->dup_fd, r->fd) < 0) {
                sh_error("%d: %s", r->dup_fd, strerror(errno));
                return -1;
            }
            continue;
        }
        int flags = r->kind == REDIR_IN       ? O_RDONLY
                    : r->kind == REDIR_APPEND ? O_WRONLY | O_CREAT | O_APPEND
                                              : O_WRONLY | O_CREAT | O_TRUNC;
        char *name = expand_one(r->word);
        int fd = open(name, flags, NEW_MODE);
        if (fd < 0) {
            sh_error("%s: %s", name, strerror(errno));
            free(name);
            return -1;
        }
        free(name);
        if (fd != r->fd) {
            dup2(fd, r->fd);
            close(fd);
        }
    }
    return 0;
}

static void restore_redirs(int *saved)
{
    for (int fd = 0; fd < SAVED_FDS; fd++) {
        if (saved[fd] == -2)
            continue;
        if (saved[fd] >= 0) {
            dup2(saved[fd], fd);
            close(saved[fd]);
        } else {
            close(fd);
        }
    }
}

/* ---- programs ---- */

/* A NAME=value word (the name unquoted). */
static bool is_assignment(const char *w)
{
    const char *eq = strchr(w, '=');
    return eq && var_is_name(w, (size_t)(eq - w));
}

static void assign(const char *w, bool export)
{
    const char *eq = strchr(w, '=');
    char *name = strndup(w, (size_t)(eq - w));
    char *value = expand_one(eq + 1);
    var_set(name, value, export);
    free(name);
    free(value);
}

/* Tries execve on path; returns errno when it fails. */
static int try_exec(const char *path, char **argv, char **envp)
{
    execve(path, argv, envp);
    return errno;
}

/* Runs argv[0] in place of this (child) process; never returns. */
static void exec_program(char **argv)
{
    char **envp = vars_environ();
    const char *name = argv[0];
    int err = ENOENT;
    if (strchr(name, '/')) {
        err = try_exec(name, argv, envp);
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
                err = try_exec(full, argv, envp);
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

/* A command's words and redirections, in a child; never returns. */
static void exec_in_child(struct node *n)
{
    if (n->kind != N_CMD) {
        int status = exec_node(n);
        fflush(NULL);
        _exit(status);
    }
    if (apply_redirs(n->redirs, NULL) < 0)
        _exit(1);
    int first = 0;
    while (first < n->nwords && is_assignment(n->words[first]))
        assign(n->words[first++], true);
    int argc;
    sh.expand_failed = false;
    char **argv = expand_words(n->words + first, n->nwords - first, &argc);
    if (sh.expand_failed)
        _exit(1);
    if (argc == 0)
        _exit(0);
    if (builtin_is(argv[0])) {
        int status = builtin_run(argc, argv);
        fflush(NULL);
        _exit(status);
    }
    exec_program(argv);
}

/* What a new child does before it becomes its command. */
static void child_setup(pid_t pgid, bool background)
{
    if (sh.interactive)
        setpgid(0, pgid);
    signal(SIGINT, SIG_DFL);
    signal(SIGQUIT, SIG_DFL);
    signal(SIGTTOU, SIG_DFL);
    signal(SIGTTIN, SIG_DFL);
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
    sh.interactive = false; /* no job control inside a job */
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
    fflush(NULL);
    for (int i = 0; i < n; i++) {
        int fds[2] = {-1, -1};
        if (i < n - 1 && pipe(fds) < 0) {
            sh_error("pipe: %s", strerror(errno));
            break;
        }
        pid_t pid = fork();
        if (pid == 0) {
            child_setup(pgid, background);
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
        if (pid < 0)
            sh_error("fork: %s", strerror(errno));
        if (pid > 0 && sh.interactive) {
            if (pgid == 0)
                pgid = pid;
            setpgid(pid, pgid); /* also here: whichever runs first */
        }
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
        if (sh.interactive)
            fprintf(stderr, "[%d] %d\n", job, (int)pids[n - 1]);
    } else {
        exec_give_terminal(pgid);
        status = jobs_wait_pids(pids, n);
        exec_give_terminal(sh.pgid);
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
    int count;
    if (n->kind == N_PIPE) {
        count = flatten(n, &cmds);
    } else {
        cmds = calloc(1, sizeof *cmds);
        cmds[0] = n;
        count = 1;
    }
    int status = run_pipeline(cmds, count, background, text);
    free(cmds);
    return status;
}

/* A simple command in the foreground, not in a pipeline. */
static int run_simple(struct node *n)
{
    int first = 0;
    while (first < n->nwords && is_assignment(n->words[first]))
        first++;
    int argc;
    sh.expand_failed = false;
    char **argv = expand_words(n->words + first, n->nwords - first, &argc);
    int status = 0;
    if (sh.expand_failed) { /* reported already: the command is not run */
        argv_free(argv);
        return sh.last_status = 1;
    }
    if (argc == 0 || builtin_is(argv[0])) {
        int saved[SAVED_FDS];
        for (int i = 0; i < SAVED_FDS; i++)
            saved[i] = -2;
        if (apply_redirs(n->redirs, saved) < 0) {
            status = 1;
        } else if (argc == 0) {
            unsigned substs = sh.substs;
            for (int i = 0; i < first; i++)
                assign(n->words[i], false);
            /* POSIX: the status of the last $(...) in the assignments */
            status = sh.expand_failed      ? 1
                     : sh.substs != substs ? sh.last_status
                                           : 0;
        } else {
            status = builtin_run(argc, argv);
        }
        fflush(NULL);
        restore_redirs(saved);
    } else {
        status = run_job(n, false, n->text);
    }
    argv_free(argv);
    return status;
}

/* ---- the tree ---- */

static int run_for(struct node *n)
{
    int argc, status = 0;
    char **words = expand_words(n->words, n->nwords, &argc);
    for (int i = 0; i < argc && !sh.exiting && !sh.interrupted; i++) {
        var_set(n->var, words[i], false);
        status = exec_node(n->right);
    }
    argv_free(words);
    return status;
}

int exec_node(struct node *n)
{
    int status = 0;
    switch (n->kind) {
    case N_CMD:
        status = run_simple(n);
        break;
    case N_PIPE:
        status = run_job(n, false, n->text);
        break;
    case N_BG:
        status = run_job(n->left, true, n->text);
        break;
    case N_SEQ:
        exec_node(n->left);
        if (!sh.exiting && !sh.interrupted)
            status = exec_node(n->right);
        else
            status = sh.last_status;
        break;
    case N_AND:
    case N_OR:
        status = exec_node(n->left);
        if ((status == 0) == (n->kind == N_AND) && !sh.exiting &&
            !sh.interrupted)
            status = exec_node(n->right);
        break;
    case N_IF:
        if (exec_node(n->left) == 0)
            status = exec_node(n->right);
        else if (n->other)
            status = exec_node(n->other);
        break;
    case N_WHILE:
        while (!sh.exiting && !sh.interrupted && exec_node(n->left) == 0)
            status = exec_node(n->right);
        break;
    case N_FOR:
        status = run_for(n);
        break;
    }
    sh.last_status = status;
    return status;
}

int exec_text(const char *text)
{
    struct node *tree;
    switch (parse(text, &tree)) {
    case PARSE_OK:
        exec_node(tree);
        node_free(tree);
        return sh.last_status;
    case PARSE_EMPTY:
        return sh.last_status;
    case PARSE_INCOMPLETE:
        sh_error("syntax error: unexpected end of file");
        break;
    case PARSE_ERROR:
        break;
    }
    return sh.last_status = SH_STATUS_SYNTAX;
}
