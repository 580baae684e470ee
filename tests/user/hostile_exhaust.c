/*
 * Exhaustion: a fork bomb and memory hogs must get errors (or, for a page
 * fault with no frame left, an out-of-memory kill), the system must live,
 * and every frame must come back once they are gone.
 *
 * Free memory is sysinfo()'s freeram. The kernel keeps caches that grow on
 * first use (its heap, the block cache) and do not shrink, so the baseline
 * is taken after a warm-up: every scenario runs once, everything is reaped,
 * the baseline is read, then every scenario runs again and free memory
 * must be back within SLACK_PAGES of the baseline.
 *
 *   fork bomb  fork until fork fails; each child sleeps. The failure must
 *              be EAGAIN or ENOMEM; then SIGKILL to each child and reap
 *              them all.
 *   heap hog   a child mallocs and touches 1 MiB at a time until malloc
 *              fails (exit 0) or the kernel kills it (SIGKILL, with an
 *              out-of-memory report).
 *   brk hog    the same through sbrk() alone.
 *   cow hog    a child touches 32 MiB, then forks children that each write
 *              every page: copy-on-write in the page-fault path runs out of
 *              frames, and the ones that cannot get one are killed.
 *
 * The guest has little memory (tests/system/test_hostile.py boots it with
 * 128 MiB) so that exhausting it is quick under TCG.
 *
 * See: docs/usermode.md (the out-of-memory policy), tests/user/scheck.h
 */
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/sysinfo.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "scheck.h"

#define MAX_CHILDREN 8192
#define MIB          (1024 * 1024)
#define PAGE         4096
#define SLACK_PAGES  8
#define COW_MIB      32
#define COW_CHILDREN 8

static pid_t kids[MAX_CHILDREN];

static long free_pages(void)
{
    struct sysinfo si;
    if (sysinfo(&si) != 0)
        return -1;
    return (long)(si.freeram * si.mem_unit / PAGE);
}

/* Forks sleeping children until fork fails; kills and reaps them all. */
static void fork_bomb(const char *round)
{
    char name[64];
    int n = 0, err = 0;
    while (n < MAX_CHILDREN) {
        pid_t pid = fork();
        if (pid == 0) {
            for (;;)
                sleep(1000);
        }
        if (pid < 0) {
            err = errno;
            break;
        }
        kids[n++] = pid;
    }
    snprintf(name, sizeof name, "fork_bomb_%s_fork_fails_eagain_or_enomem",
             round);
    sc_check(name, err == EAGAIN || err == ENOMEM,
             "%d children, then errno %d (%s)", n, err, strerror(err));
    printf("fork bomb (%s): %d children before fork failed\n", round, n);
    for (int i = 0; i < n; i++)
        kill(kids[i], SIGKILL);
    int reaped = 0, killed = 0, st;
    for (int i = 0; i < n; i++) {
        if (waitpid(kids[i], &st, 0) == kids[i]) {
            reaped++;
            killed += WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL;
        }
    }
    snprintf(name, sizeof name, "fork_bomb_%s_all_killed_and_reaped", round);
    sc_check(name, reaped == n && killed == n,
             "%d children, %d reaped, %d "
             "killed by SIGKILL",
             n, reaped, killed);
    snprintf(name, sizeof name, "fork_bomb_%s_then_fork_works", round);
    pid_t pid = fork();
    if (pid == 0)
        _exit(5);
    st = 0;
    waitpid(pid, &st, 0);
    sc_check(name, pid > 0 && WIFEXITED(st) && WEXITSTATUS(st) == 5,
             "fork %d, status %#x", (int)pid, st);
}

static void heap_hog(void)
{
    for (;;) {
        char *p = malloc(MIB);
        if (!p)
            _exit(errno == ENOMEM ? 0 : 1);
        for (int i = 0; i < MIB; i += PAGE)
            p[i] = 1;
    }
}

static void brk_hog(void)
{
    for (;;) {
        char *p = sbrk(MIB);
        if (p == (void *)-1)
            _exit(errno == ENOMEM ? 0 : 1);
        for (int i = 0; i < MIB; i += PAGE)
            p[i] = 1;
    }
}

static void cow_hog(void)
{
    char *p = malloc(COW_MIB * MIB);
    if (!p)
        _exit(2);
    for (int i = 0; i < COW_MIB * MIB; i += PAGE)
        p[i] = 1;
    pid_t kids[COW_CHILDREN];
    for (int k = 0; k < COW_CHILDREN; k++) {
        kids[k] = fork();
        if (kids[k] == 0) {
            for (int i = 0; i < COW_MIB * MIB; i += PAGE)
                p[i] = 2; /* a copy of every page */
            _exit(0);
        }
    }
    int ok = 0;
    for (int k = 0; k < COW_CHILDREN; k++) {
        int st = 0;
        if (kids[k] > 0 && waitpid(kids[k], &st, 0) == kids[k] &&
            ((WIFEXITED(st) && WEXITSTATUS(st) == 0) ||
             (WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL)))
            ok++;
    }
    _exit(ok == COW_CHILDREN ? 0 : 3);
}

/* A hog in a child: it must end by a failed allocation or a SIGKILL. */
static void hog(const char *what, const char *round, void (*fn)(void))
{
    char name[64];
    pid_t pid = fork();
    if (pid == 0)
        fn();
    int st = 0;
    waitpid(pid, &st, 0);
    snprintf(name, sizeof name, "%s_%s_refused_or_killed", what, round);
    sc_check(name,
             (WIFEXITED(st) && WEXITSTATUS(st) == 0) ||
                 (WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL),
             "status %#x", st);
}

static void round_of_everything(const char *round)
{
    fork_bomb(round);
    hog("heap_hog", round, heap_hog);
    hog("brk_hog", round, brk_hog);
    hog("cow_hog", round, cow_hog);
}

int main(void)
{
    sc_begin();
    long before = free_pages();
    round_of_everything("warmup");
    long baseline = free_pages();
    printf("free pages: %ld at start, %ld after the warm-up\n", before,
           baseline);
    round_of_everything("measured");
    long after = free_pages();
    printf("free pages: %ld after the measured round\n", after);
    sc_check("free_memory_returns_to_baseline",
             baseline > 0 && after >= baseline - SLACK_PAGES,
             "%ld free pages after, %ld at the baseline (%ld lost)", after,
             baseline, baseline - after);
    return sc_done();
}
