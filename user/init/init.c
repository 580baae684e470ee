/*
 * init: process 1, the first program the kernel starts.
 *
 * With arguments (the kernel's init= option, e.g.
 * `init=/bin/init,-C,/scratch,/tests/test_files,/out.txt`), it runs that
 * one command (in the directory -C names, if given),
 * reaps every process that ends meanwhile (orphans are handed to init),
 * reports how the command ended, syncs the disk and powers the machine off:
 * that is how the tests run a program on Ember and collect its results.
 *
 * Without arguments it starts the shell, /bin/sh, and starts it again when
 * it ends, as a user expects of a console.
 *
 * See: docs/usermode.md
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/reboot.h>
#include <sys/wait.h>
#include <unistd.h>

#define SHELL "/bin/sh"

/* Starts argv[0] with argv; returns its pid, or -1. */
static pid_t start(char *const argv[])
{
    pid_t pid = fork();
    if (pid == 0) {
        execv(argv[0], argv);
        fprintf(stderr, "init: cannot run %s: %s\n", argv[0], strerror(errno));
        _exit(127);
    }
    if (pid < 0)
        fprintf(stderr, "init: fork: %s\n", strerror(errno));
    return pid;
}

/* Waits for pid, reaping any other child that ends first. */
static int wait_for(pid_t pid)
{
    for (;;) {
        int status;
        pid_t got = wait(&status);
        if (got == pid)
            return status;
        if (got < 0 && errno != EINTR)
            return -1;
    }
}

static void report(const char *what, int status)
{
    if (status < 0)
        printf("init: %s: lost track of it\n", what);
    else if (WIFEXITED(status))
        printf("init: %s exited with status %d\n", what, WEXITSTATUS(status));
    else if (WIFSIGNALED(status))
        printf("init: %s was killed by signal %d\n", what, WTERMSIG(status));
    fflush(stdout);
}

static int run_once(char *const argv[])
{
    pid_t pid = start(argv);
    int status = pid < 0 ? -1 : wait_for(pid);
    report(argv[0], status);
    sync();
    reboot(RB_POWER_OFF);
    return 1; /* reboot returned: the kernel refused */
}

int main(int argc, char **argv)
{
    if (argc > 3 && strcmp(argv[1], "-C") == 0) {
        if (chdir(argv[2]) != 0)
            fprintf(stderr, "init: cd %s: %s\n", argv[2], strerror(errno));
        argc -= 2;
        argv += 2;
    }
    if (argc > 1)
        return run_once(argv + 1);
    char *sh[] = {SHELL, NULL};
    for (;;) {
        if (access(SHELL, F_OK) != 0) {
            printf("init: no %s on the disk yet; nothing to run\n", SHELL);
            fflush(stdout);
            for (;;)
                sleep(3600);
        }
        report(SHELL, wait_for(start(sh)));
    }
}
