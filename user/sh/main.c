/*
 * sh: Ember's shell. Where it starts, and the loop that reads commands.
 *
 *   sh                 commands from standard input; on a terminal, with
 *                      a prompt, line editing, history and job control
 *   sh file [args]     a script ($0 is file, $1... the args); a first line
 *                      "#!/bin/sh" is a comment to the shell, so the kernel
 *                      can start scripts with it
 *   sh -c 'text' [name args...]   one command text
 *
 * Input is gathered until it parses: a line that ends inside a construct
 * ("if x; then", an open quote, a trailing |) is continued on the next
 * line, with the prompt "> " on a terminal. A syntax error costs only the
 * text read so far, never the shell.
 *
 * On a terminal the shell ignores SIGINT, SIGQUIT and the stop signals
 * (ctrl-c and ctrl-z act on the job in front, not the shell; a trap may
 * still catch INT), puts itself in its own process group and takes the
 * terminal's foreground.
 *
 * See: docs/userland.md
 */
#include "sh.h"

#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "io.h"

extern char **environ;

void sh_error(const char *fmt, ...)
{
    va_list ap;
    fflush(stdout);
    fputs(SH_NAME ": ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

/* A line from standard input without its newline; NULL at the end. */
static char *read_plain(const char *prompt)
{
    (void)prompt;
    char *line = NULL;
    size_t cap = 0;
    ssize_t n = getline(&line, &cap, stdin);
    if (n < 0) {
        free(line);
        return NULL;
    }
    if (n > 0 && line[n - 1] == '\n')
        line[n - 1] = '\0';
    return line;
}

/* "/the/cwd $ " */
static void make_prompt(char *buf, size_t cap)
{
    char cwd[PATH_MAX];
    if (!getcwd(cwd, sizeof cwd))
        strcpy(cwd, "?");
    snprintf(buf, cap, "%s $ ", cwd);
}

/* text + line + "\n", text freed; NULL when memory runs out. */
static char *append_line(char *text, char *line)
{
    size_t len = (text ? strlen(text) : 0) + strlen(line) + 2;
    char *longer = realloc(text, len);
    if (!longer) {
        sh_error("%s", strerror(ENOMEM));
        free(text);
        free(line);
        return NULL;
    }
    if (!text)
        longer[0] = '\0';
    strcat(longer, line);
    strcat(longer, "\n");
    free(line);
    return longer;
}

/*
 * Reads lines until they parse, then runs them. Returns false at the end
 * of the input. ctrl-c at the "> " prompt drops what was read.
 */
static bool read_and_run(char *(*read_line)(const char *prompt))
{
    char prompt[PATH_MAX + 8];
    make_prompt(prompt, sizeof prompt);
    sh.interrupted = false;
    char *line = read_line(prompt);
    if (!line)
        return false;
    char *text = append_line(NULL, line);
    for (;;) {
        if (!text) {
            sh.last_status = 1;
            return true;
        }
        struct node *tree;
        enum parse_result r = parse(text, &tree);
        if (r == PARSE_INCOMPLETE) {
            char *more = read_line("> ");
            if (more && sh.interrupted) { /* ctrl-c: the command is dropped */
                free(more);
                free(text);
                return true;
            }
            if (more) {
                text = append_line(text, more);
                continue;
            }
            sh_error("syntax error: unexpected end of file");
            sh.last_status = SH_STATUS_SYNTAX;
            free(text);
            return false;
        }
        text[strlen(text) - 1] = '\0'; /* the history has no last newline */
        if (sh.interactive && text[strspn(text, " \t\n")])
            history_add(text);
        if (r == PARSE_ERROR) {
            sh.last_status = SH_STATUS_SYNTAX;
            if (!sh.interactive) {
                sh.exiting = true;
                sh.exit_status = SH_STATUS_SYNTAX;
            }
        }
        if (r == PARSE_OK) {
            sh.interrupted = false;
            exec_node(tree);
            node_free(tree);
        }
        free(text);
        return true;
    }
}

static void interactive_setup(void)
{
    sh.interactive = true;
    signal(SIGINT, SIG_IGN);
    signal(SIGQUIT, SIG_IGN);
    /* Linux stops a background group that takes the terminal; the shell
     * takes it back from one (Ember has no such stop, but hosts do). */
    signal(SIGTTOU, SIG_IGN);
    signal(SIGTTIN, SIG_IGN);
    /* ^Z stops the job in front, never the shell (jobs' children set it
     * back to the default). */
    signal(SIGTSTP, SIG_IGN);
    setpgid(0, 0);
    sh.pgid = getpgrp();
    tcsetpgrp(STDIN_FILENO, sh.pgid);
    jobs_save_shell_modes();
    history_load();
}

static int run_file(const char *path)
{
    char *text = io_slurp(path, NULL);
    if (!text) {
        sh_error("%s: %s", path, strerror(errno));
        return SH_STATUS_NOT_FOUND;
    }
    int status = exec_text(text);
    free(text);
    return status;
}

static const char option_letters[] = "efux"; /* as $- lists them */

const char *sh_options(void)
{
    static char buf[sizeof option_letters + 1];
    size_t n = 0;
    bool on[] = {sh.opt_errexit, sh.opt_noglob, sh.opt_nounset, sh.opt_xtrace};
    for (size_t i = 0; i < sizeof on / sizeof on[0]; i++)
        if (on[i])
            buf[n++] = option_letters[i];
    if (sh.interactive)
        buf[n++] = 'i';
    buf[n] = '\0';
    return buf;
}

bool sh_set_option(char letter, bool on)
{
    switch (letter) {
    case 'e':
        sh.opt_errexit = on;
        return true;
    case 'f':
        sh.opt_noglob = on;
        return true;
    case 'u':
        sh.opt_nounset = on;
        return true;
    case 'x':
        sh.opt_xtrace = on;
        return true;
    }
    return false;
}

static int usage(void)
{
    fprintf(stderr, "usage: sh [-efux] [-c text [name args...] | file "
                    "[args...]]\n");
    return SH_STATUS_SYNTAX;
}

int main(int argc, char **argv)
{
    vars_init(environ);
    sh.pid = getpid();
    if (!var_get("PATH"))
        var_set("PATH", SH_DEFAULT_PATH, true);
    if (!var_get("HOME"))
        var_set("HOME", "/", true);
    int i = 1;
    bool command = false;
    for (; i < argc && (argv[i][0] == '-' || argv[i][0] == '+') && argv[i][1];
         i++) {
        if (strcmp(argv[i], "--") == 0) {
            i++;
            break;
        }
        for (const char *o = argv[i] + 1; *o; o++) {
            if (*o == 'c')
                command = true;
            else if (!sh_set_option(*o, argv[i][0] == '-'))
                return usage();
        }
    }
    int status;
    if (command) {
        if (i >= argc)
            return usage();
        vars_set_args(argc - i - 1 > 0 ? argc - i - 1 : 1,
                      argc - i - 1 > 0 ? argv + i + 1 : argv);
        status = exec_text(argv[i]);
    } else if (i < argc) {
        vars_set_args(argc - i, argv + i);
        status = run_file(argv[i]);
    } else {
        vars_set_args(1, argv);
        if (isatty(STDIN_FILENO) && isatty(STDERR_FILENO))
            interactive_setup();
        while (!sh.exiting &&
               read_and_run(sh.interactive ? edit_read_line : read_plain)) {
            trap_run_pending();
            if (sh.interactive)
                jobs_notify();
        }
        if (sh.interactive && !sh.exiting)
            fputs("exit\n", stderr);
        if (sh.interactive)
            jobs_hangup();
        status = sh.last_status;
    }
    exec_exit(sh.exiting ? sh.exit_status : status);
}
