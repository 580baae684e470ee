/*
 * time: runs a command and says how long it took, on standard error.
 *
 * The real time is measured with CLOCK_MONOTONIC around fork() and
 * waitpid(); user and system time are the children's times from times().
 * Ember's kernel does not add a child's CPU time to its parent's yet
 * (times() reports cutime and cstime as 0), so on Ember those two lines
 * say 0 and only the real time is meaningful. The output is bash's
 * (real/user/sys with minutes and seconds), or POSIX's with -p. The
 * status is the command's; 127 when it was not found, 126 when it could
 * not run, as GNU time's.
 *
 * See: docs/userland.md
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/times.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "usage.h"

#define USAGE           "usage: time [-p] command [arg...]\n"
#define TIME_NOT_FOUND  127
#define TIME_CANNOT_RUN 126
#define TIME_FAILED     125 /* GNU time's status for its own errors */
#define NS_PER_S        1e9
#define SECS_MIN        60
#define SIGNAL_STATUS   128

static void line(const char *label, double s, bool posix)
{
    if (posix)
        fprintf(stderr, "%s %.2f\n", label, s);
    else
        fprintf(stderr, "%s\t%dm%.3fs\n", label, (int)(s / SECS_MIN),
                s - SECS_MIN * (int)(s / SECS_MIN));
}

int main(int argc, char **argv)
{
    usage_help(argc > 1 ? 2 : argc, argv, USAGE);
    bool posix = false;
    int o;
    while ((o = getopt(argc, argv, "+p")) != -1) {
        if (o == 'p')
            posix = true;
        else
            usage_fail(USAGE, TIME_FAILED);
    }
    if (optind == argc)
        usage_fail(USAGE, TIME_FAILED);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    pid_t pid = fork();
    if (pid == 0) {
        execvp(argv[optind], argv + optind);
        int err = errno;
        fprintf(stderr, "time: cannot run %s: %s\n", argv[optind],
                strerror(err));
        _exit(err == ENOENT ? TIME_NOT_FOUND : TIME_CANNOT_RUN);
    }
    if (pid < 0) {
        perror("time: fork");
        return TIME_FAILED;
    }
    int st = 0;
    while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
        ;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    struct tms tms;
    times(&tms);
    double hz = (double)sysconf(_SC_CLK_TCK);
    double real = (double)(t1.tv_sec - t0.tv_sec) +
                  (double)(t1.tv_nsec - t0.tv_nsec) / NS_PER_S;
    line("real", real, posix);
    line("user", (double)tms.tms_cutime / hz, posix);
    line("sys", (double)tms.tms_cstime / hz, posix);
    if (WIFSIGNALED(st))
        return SIGNAL_STATUS + WTERMSIG(st);
    return WEXITSTATUS(st);
}
