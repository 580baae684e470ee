/*
 * kill: sends a signal (TERM unless one is named) to processes.
 *
 *   kill pid...            SIGTERM
 *   kill -9 pid, kill -KILL pid, kill -s INT pid
 *   kill -l                the signal names
 *
 * Ember's signals take their default action (or are ignored), so TERM,
 * INT and KILL all end a process that has not ignored them.
 *
 * See: docs/userland.md
 */
#include <ctype.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "usage.h"

static const struct {
    const char *name;
    int sig;
} names[] = {
    {"HUP", SIGHUP},   {"INT", SIGINT},   {"QUIT", SIGQUIT}, {"ILL", SIGILL},
    {"TRAP", SIGTRAP}, {"ABRT", SIGABRT}, {"BUS", SIGBUS},   {"FPE", SIGFPE},
    {"KILL", SIGKILL}, {"USR1", SIGUSR1}, {"SEGV", SIGSEGV}, {"USR2", SIGUSR2},
    {"PIPE", SIGPIPE}, {"ALRM", SIGALRM}, {"TERM", SIGTERM}, {"CHLD", SIGCHLD},
};

#define NAMES (sizeof names / sizeof names[0])

/* A signal from "9", "KILL" or "SIGKILL"; -1 if unknown. */
static int parse_signal(const char *s)
{
    if (isdigit((unsigned char)s[0])) {
        char *end;
        long n = strtol(s, &end, 10);
        return *end || n < 0 || n >= NSIG ? -1 : (int)n;
    }
    if (strncasecmp(s, "SIG", 3) == 0)
        s += 3;
    for (size_t i = 0; i < NAMES; i++)
        if (strcasecmp(s, names[i].name) == 0)
            return names[i].sig;
    return -1;
}

static int usage(void)
{
    fprintf(stderr, "usage: kill [-s signal | -signal] pid... | kill -l\n");
    return 1;
}

int main(int argc, char **argv)
{
    usage_help(argc, argv,
               "usage: kill [-s signal | -signal] pid... | kill -l\n");
    int sig = SIGTERM, i = 1;
    if (argc > 1 && strcmp(argv[1], "-l") == 0) {
        for (size_t k = 0; k < NAMES; k++)
            printf("%2d) SIG%s\n", names[k].sig, names[k].name);
        return 0;
    }
    if (argc > 2 && strcmp(argv[1], "-s") == 0) {
        sig = parse_signal(argv[2]);
        i = 3;
    } else if (argc > 1 && argv[1][0] == '-' && argv[1][1]) {
        sig = parse_signal(argv[1] + 1);
        i = 2;
    }
    if (sig < 0) {
        fprintf(stderr, "kill: unknown signal '%s'\n", argv[i - 1]);
        return usage();
    }
    if (i >= argc)
        return usage();
    int status = 0;
    for (; i < argc; i++) {
        char *end;
        long pid = strtol(argv[i], &end, 10);
        if (!*argv[i] || *end) {
            fprintf(stderr, "kill: '%s': not a process id\n", argv[i]);
            status = 1;
        } else if (kill((pid_t)pid, sig) != 0) {
            fprintf(stderr, "kill: (%ld): %s\n", pid, strerror(errno));
            status = 1;
        }
    }
    return status;
}
