/*
 * trap: commands run when a signal arrives, or when the shell ends (EXIT).
 *
 *   trap 'cmd' SIG...   run cmd when SIG comes (names with or without
 *                       SIG, numbers, EXIT or 0)
 *   trap '' SIG...      ignore SIG (inherited by the programs started)
 *   trap - SIG...       back to the default; so is a lone "trap SIG" and
 *                       a first argument that is a number ("trap 0 2")
 *   trap                list what is set, as "trap -- 'cmd' NAME"
 *
 * A trapped signal does not run its command at once: the kernel calls
 * on_signal(), which only notes it, and the command runs between two
 * commands (trap_run_pending(), after every simple command, pipeline and
 * subshell, and before each prompt), as dash does, so a trap never cuts a
 * command's state in half. The handler is installed with SA_RESTART, so
 * the reads and waits it interrupts go on by themselves; a foreground
 * command is waited for to its end before its trap runs. $? inside the
 * command is the status before it, and it is put back after.
 *
 * A subshell or a program started by the shell gets the default action for
 * every signal a command was trapped for; an ignored signal stays ignored
 * (trap_reset_child()). The EXIT trap is sh.trap_exit, run by exec_exit().
 * In an interactive shell, "trap - INT" gives INT and QUIT back to the
 * shell's own way (ignored: ctrl-c ends the job, not the shell).
 *
 * See: docs/userland.md
 */
#include "sh.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define TRAP_SIGNALS 32 /* 1..31: the classic signals, as dash lists them */

static const char *const names[TRAP_SIGNALS] = {
    "EXIT",   "HUP",  "INT",    "QUIT", "ILL",   "TRAP", "ABRT", "BUS",
    "FPE",    "KILL", "USR1",   "SEGV", "USR2",  "PIPE", "ALRM", "TERM",
    "STKFLT", "CHLD", "CONT",   "STOP", "TSTP",  "TTIN", "TTOU", "URG",
    "XCPU",   "XFSZ", "VTALRM", "PROF", "WINCH", "IO",   "PWR",  "SYS",
};

static char *actions[TRAP_SIGNALS]; /* NULL: default; "": ignored */
static volatile sig_atomic_t pending[TRAP_SIGNALS];
static volatile sig_atomic_t any_pending;
static bool running; /* a trap's command is running: no nesting */

static void on_signal(int sig)
{
    pending[sig] = 1;
    any_pending = 1;
}

/* A signal by number, name or SIGname; -1 if unknown. */
static int signal_number(const char *s)
{
    char *end;
    long n = strtol(s, &end, 10);
    if (*s && !*end)
        return n >= 0 && n < TRAP_SIGNALS ? (int)n : -1;
    if (strncasecmp(s, "SIG", 3) == 0)
        s += 3;
    for (int i = 0; i < TRAP_SIGNALS; i++)
        if (strcasecmp(s, names[i]) == 0)
            return i;
    return -1;
}

/* The disposition the shell itself wants for sig when no trap is set. */
static void (*shell_default(int sig))(int)
{
    bool own =
        sh.interactive && (sig == SIGINT || sig == SIGQUIT || sig == SIGTSTP ||
                           sig == SIGTTIN || sig == SIGTTOU);
    return own ? SIG_IGN : SIG_DFL;
}

/* Sets sig's action (NULL: default), and the disposition to match. */
static void set_action(int sig, const char *action)
{
    free(actions[sig]);
    actions[sig] = action ? strdup(action) : NULL;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    if (!action)
        sa.sa_handler = shell_default(sig);
    else if (!*action)
        sa.sa_handler = SIG_IGN;
    else
        sa.sa_handler = on_signal;
    pending[sig] = 0;
    sigaction(sig, &sa, NULL);
}

/* s in single quotes the way dash writes it: ' becomes '"'"'. */
static void print_quoted(const char *s)
{
    do {
        size_t len = strcspn(s, "'");
        printf("'%.*s'", (int)len, s);
        s += len;
        if (*s != '\'')
            break;
        len = strspn(s, "'");
        printf("\"%.*s\"", (int)len, s);
        s += len;
    } while (*s);
}

static void list(void)
{
    for (int sig = 0; sig < TRAP_SIGNALS; sig++) {
        const char *a = sig == 0 ? sh.trap_exit : actions[sig];
        if (!a)
            continue;
        fputs("trap -- ", stdout);
        print_quoted(a);
        printf(" %s\n", names[sig]);
    }
}

int flow_trap(int argc, char **argv)
{
    int i = 1;
    if (i < argc && strcmp(argv[i], "--") == 0)
        i++;
    if (i == argc) {
        list();
        return 0;
    }
    const char *action = argv[i];
    char *end;
    strtol(action, &end, 10);
    /* a lone condition, or a number first: reset */
    bool reset = i == argc - 1 || (*action && !*end);
    if (!reset)
        i++;
    if (reset || strcmp(action, "-") == 0)
        action = NULL;
    for (; i < argc; i++) {
        int sig = signal_number(argv[i]);
        if (sig < 0) { /* dash stops at the first bad one */
            sh_error("trap: %s: bad trap", argv[i]);
            return 1;
        }
        if (sig == 0) {
            free(sh.trap_exit);
            sh.trap_exit = action ? strdup(action) : NULL;
        } else if (sig == SIGKILL || sig == SIGSTOP) {
            /* they cannot be caught; dash accepts and does nothing */
            free(actions[sig]);
            actions[sig] = action ? strdup(action) : NULL;
        } else {
            set_action(sig, action);
        }
    }
    return 0;
}

void trap_run_pending(void)
{
    if (!any_pending || running)
        return;
    running = true;
    any_pending = 0;
    for (int sig = 1; sig < TRAP_SIGNALS; sig++) {
        if (!pending[sig])
            continue;
        pending[sig] = 0;
        if (!actions[sig] || !*actions[sig])
            continue;
        int status = sh.last_status;
        char *cmd = strdup(actions[sig]); /* it may reset itself */
        exec_text(cmd);
        free(cmd);
        if (!sh.exiting)
            sh.last_status = status;
    }
    running = false;
}

void trap_reset_child(void)
{
    for (int sig = 1; sig < TRAP_SIGNALS; sig++) {
        if (actions[sig] && *actions[sig]) {
            free(actions[sig]);
            actions[sig] = NULL;
            signal(sig, SIG_DFL);
        }
    }
    free(sh.trap_exit);
    sh.trap_exit = NULL;
}
