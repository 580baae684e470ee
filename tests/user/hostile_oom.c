/*
 * Ember-only: running out of memory at the smallest size that boots.
 *
 * A child maps and touches memory a mebibyte at a time until the kernel
 * says no: either mmap returns ENOMEM (the child then exits 0) or a page
 * cannot be had at the touch and the kernel kills it with SIGKILL and its
 * "out of memory" line. Either is the clean path; a kernel panic, a hang
 * or any other end is not. The parent then checks the memory came back:
 * it can map and touch a few pages itself, and a second child hits the
 * same wall at about the same place. tests/system/test_hostile.py runs it
 * at 6 MiB (make test-long).
 *
 * Portable: Ember only (x86_64, musl).
 * See: tests/user/README.md, docs/memory.md
 */
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "scheck.h"

#define STEP     (1u << 20)
#define PAGE     4096u
#define MAX_MIB  1024 /* far above the machine: the wall comes first */
#define PIPE_MSG sizeof(int)

/* In the child: map and touch until refused; reports the MiB it got. */
static void hog(int report_fd)
{
    int mib = 0;
    for (; mib < MAX_MIB; mib++) {
        uint8_t *p = mmap(NULL, STEP, PROT_READ | PROT_WRITE,
                          MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (p == MAP_FAILED)
            break;
        for (size_t off = 0; off < STEP; off += PAGE) {
            p[off] = 1;
            if (off == 0) /* the parent hears of each MiB as it comes */
                write(report_fd, &mib, PIPE_MSG);
        }
    }
    _exit(errno == ENOMEM ? 0 : 1);
}

/* One hog: how it ended, and the last MiB it reported. */
static int run_hog(int *status)
{
    int fds[2];
    if (pipe(fds) < 0)
        return -1;
    pid_t pid = fork();
    if (pid == 0) {
        close(fds[0]);
        hog(fds[1]);
    }
    close(fds[1]);
    int mib = -1, got;
    while (read(fds[0], &got, PIPE_MSG) == PIPE_MSG)
        mib = got;
    close(fds[0]);
    waitpid(pid, status, 0);
    return mib;
}

static bool clean_end(int st)
{
    return (WIFEXITED(st) && WEXITSTATUS(st) == 0) ||
           (WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL);
}

int main(void)
{
    sc_begin();
    int st1 = 0, st2 = 0;
    int first = run_hog(&st1);
    printf("oom: the first hog got %d MiB\n", first + 1);
    sc_check("the first hog ended cleanly", clean_end(st1), "status %#x", st1);
    uint8_t *p = mmap(NULL, 4 * PAGE, PROT_READ | PROT_WRITE,
                      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    sc_check("memory came back", p != MAP_FAILED, "mmap failed");
    if (p != MAP_FAILED) {
        for (size_t off = 0; off < 4 * PAGE; off += PAGE)
            p[off] = 2;
        munmap(p, 4 * PAGE);
    }
    int second = run_hog(&st2);
    printf("oom: the second hog got %d MiB\n", second + 1);
    sc_check("the second hog ended cleanly", clean_end(st2), "status %#x", st2);
    sc_check("the second hog got as far", second + 1 >= first,
             "%d MiB, the first %d", second + 1, first + 1);
    return sc_done();
}
