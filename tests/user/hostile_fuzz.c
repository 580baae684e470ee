/*
 * A random-syscall fuzzer: children make thousands of calls with random
 * numbers and arguments through both doors; the kernel must live and give
 * every frame back.
 *
 * Usage: hostile_fuzz CALLS [SEED]
 *
 * The supervisor forks one fuzzing child at a time until CALLS calls have
 * been made in all. A child puts descriptors 0-2 on /dev/null, then makes
 * CHILD_CALLS calls, each through `syscall` or `int 0x80`, and writes one
 * byte to the supervisor's pipe after every PROGRESS_CALLS calls: that is
 * how calls are counted across children, including children that a call
 * of their own killed (an munmap of their own text, a random mprotect).
 * A child that makes no progress for BLOCKED_MS is blocked in some call,
 * and the supervisor kills it with SIGKILL; it polls with waitpid(WNOHANG)
 * and a short nanosleep.
 *
 * Arguments are drawn from what finds bugs: small integers and descriptor
 * numbers, pointers into a scratch buffer of random bytes (so structures
 * and paths are random too) at random offsets, a few real paths under
 * /scratch and the tmpfs /tmp (emptied before memory is counted), kernel,
 * non-canonical and unmapped addresses, page-aligned addresses, huge and
 * negative lengths, and plain random 64-bit values.
 *
 * The deny-list keeps out what would end the child or the test rather than
 * test the kernel: exit and exit_group (both doors), the fork and exec
 * family, kill/tkill/tgkill (they could hit the supervisor or init),
 * rt_sigreturn (each child ends with one, on a forged frame of random
 * words: in the middle it would end most children at once), reboot, the
 * calls that wait on purpose (pause, nanosleep,
 * clock_nanosleep, wait4: no child has children, but a fuzzed pid could be
 * a sibling's group), and the seed's console calls 1, 3 and 4, which would
 * write random bytes into the serial log the test reads. Pipes are made
 * non-blocking, so a read of a pipe the child itself holds the writing end
 * of cannot hang; anything else that blocks is what the one-second kill is
 * for.
 *
 * Every other child also starts a thread (fuzz_thread()) that makes random
 * calls beside it; clone itself stays on the deny-list, since a random
 * clone is a fork.
 *
 * Free memory (sysinfo) is read after a warm-up child and again at the end;
 * it must be back within SLACK_PAGES, counting the frames the kernel heap
 * grew by as free (the heap never shrinks), and the heap's live objects
 * must be back within as much. Both readings come after a sync and
 * a drop of the clean caches: which files a child reaches depends on when
 * blocked children are killed, so on a busy host the page cache holds a
 * different amount each run, while a leaked frame stays leaked.
 *
 * See: tests/system/test_hostile.py, tests/user/scheck.h
 */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysinfo.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <ember/syscall_seed.h>

#include "scheck.h"

#define CHILD_CALLS    2000
#define PROGRESS_CALLS 50
#define BLOCKED_MS     1000
#define POLL_MS        5
#define SLACK_PAGES    16
#define FORGED_WORDS   64 /* a signal frame and more */
#define REPORT_FD      60 /* the child's end of the progress pipe */
#define SCRATCH_BYTES  (64 * 1024)
#define PAGE           4096
#define LINUX_MAX_NR   335
#define FTW_FDS        16 /* descriptors nftw may hold */

static uint64_t rng_state;

/* xorshift64*: small, fast, and the same sequence for the same seed. */
static uint64_t rnd(void)
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 0x2545f4914f6cdd1dull;
}

static uint64_t below(uint64_t n)
{
    return rnd() % n;
}

static unsigned char scratch[SCRATCH_BYTES] __attribute__((aligned(PAGE)));

static const char *const paths[] = {
    "/scratch/fz",
    "/scratch/fz/a",
    "/scratch/fz/b.txt",
    "fz/c",
    "/dev/null",
    "/dev/zero",
    "/",
    ".",
    "..",
    "/scratch/fz/d/e/f",
    "/nonexistent",
    "",
    "/scratch/fz/LONGNAME-with-many-characters.txt",
    "/proc/self", /* a link (#16); not /proc/self/exe, which a truncate */
    "/proc/self/../self/cmdline", /* would follow to the fuzzer's file */
    "/tmp/fz", /* tmpfs: links, modes and renames really happen */
    "/tmp/fz/a",
    "/tmp/fz/link",
    "/tmp/fz/d/e",
};

/* Removes what the children left in /tmp/fz: its pages are memory. */
static int remove_one(const char *path, const struct stat *st, int type,
                      struct FTW *ftw)
{
    (void)st, (void)type, (void)ftw;
    remove(path);
    return 0;
}

static uint64_t random_arg(void)
{
    switch (below(12)) {
    case 0:
        return below(8); /* small: flags, fds, whence */
    case 1:
        return below(70); /* descriptors, signals, clock ids */
    case 2:
        return (uint64_t)(scratch + below(SCRATCH_BYTES));
    case 3:
        return (uint64_t)(scratch + below(SCRATCH_BYTES / 64) * 64);
    case 4:
        return (uint64_t)paths[below(sizeof paths / sizeof paths[0])];
    case 5: {
        static const uint64_t bad[] = {
            0,
            0xffffffff80100000ull,
            0xffff800000000000ull,
            0x0000800000000000ull,
            0x00007ffffffff000ull,
            0x00007fffffffeff8ull,
            0xfffffffffffff000ull,
            0x1000,
            0x0000100000000000ull,
        };
        return bad[below(sizeof bad / sizeof bad[0])];
    }
    case 6:
        return below(1ull << 20) * PAGE; /* page-aligned, low */
    case 7:
        return ~0ull - below(4096); /* huge, or small negative numbers */
    case 8:
        return 1ull << below(64);
    case 9:
        return below(1u << 16);
    default:
        return rnd();
    }
}

static bool denied_linux(uint64_t nr)
{
    switch (nr) {
    case SYS_exit:
    case SYS_exit_group:
    case SYS_fork:
    case SYS_vfork:
    case SYS_clone:
    case SYS_execve:
    case 322: /* execveat */
    case SYS_kill:
    case SYS_tkill:
    case SYS_tgkill:
    case SYS_reboot:
    case SYS_pause:
    case SYS_nanosleep:
    case SYS_clock_nanosleep:
    case SYS_wait4:
    case 247:              /* waitid */
    case SYS_rt_sigreturn: /* each child's last call instead */
    case 130:              /* rt_sigsuspend */
    case 128:              /* rt_sigtimedwait */
        return true;
    }
    return false;
}

static bool denied_seed(uint64_t nr)
{
    return nr == SEED_SYS_EXIT || nr == SEED_SYS_PUTC || nr == SEED_SYS_CLEAR ||
           nr == SEED_SYS_CURSOR;
}

static long linux_call(uint64_t nr, const uint64_t *a)
{
    register uint64_t r10 __asm__("r10") = a[3];
    register uint64_t r8 __asm__("r8") = a[4];
    register uint64_t r9 __asm__("r9") = a[5];
    long ret = (long)nr;
    __asm__ volatile("syscall"
                     : "+a"(ret), "+r"(r10), "+r"(r8), "+r"(r9)
                     : "D"(a[0]), "S"(a[1]), "d"(a[2])
                     : "rcx", "r11", "memory", "cc");
    return ret;
}

static long succeeded; /* calls that returned 0 or more */

/* One random call; false if the deny-list threw it out. */
static bool one_call(void)
{
    uint64_t a[6];
    for (int i = 0; i < 6; i++) {
        a[i] = random_arg();
        if (a[i] == REPORT_FD)
            a[i] = REPORT_FD + 1; /* keep the progress pipe open */
    }
    if (below(4) == 0) {
        uint64_t nr = below(8) ? below(SEED_SYS_COUNT + 2) : rnd();
        if (denied_seed(nr))
            return false;
        succeeded +=
            seed_call((long)nr, (long)a[0], (long)a[1], (long)a[2]) >= 0;
        return true;
    }
    uint64_t nr = below(10)  ? below(LINUX_MAX_NR + 1)
                  : below(2) ? below(1024)
                             : rnd();
    if (denied_linux(nr))
        return false;
    if (nr == SYS_pipe) {
        nr = SYS_pipe2;
        a[1] = 0;
    }
    if (nr == SYS_pipe2)
        a[1] |= O_NONBLOCK;
    succeeded += linux_call(nr, a) >= 0;
    return true;
}

/*
 * A child's last call: rt_sigreturn on a stack of random arguments, a
 * forged signal frame. It may end only this child (mostly SIGSEGV). Made
 * last, since a random rt_sigreturn in the middle would end most children
 * before they report their calls.
 */
static void forged_sigreturn(void)
{
    static uint64_t frame[FORGED_WORDS];
    for (int i = 0; i < FORGED_WORDS; i++)
        frame[i] = random_arg();
    __asm__ volatile("mov %0, %%rsp\n\t"
                     "mov %1, %%eax\n\t"
                     "syscall"
                     :
                     : "r"(frame), "i"(SYS_rt_sigreturn)
                     : "memory");
}

/*
 * A second thread of the child, in every other child: it makes random
 * calls too, without counting them, so the kernel meets calls of two
 * threads of one process at once (an munmap under the other's feet,
 * futexes, set_tid_address, signal masks) and exit_group or a fault ends
 * both.
 */
static void *fuzz_thread(void *arg)
{
    (void)arg;
    for (;;)
        one_call();
    return NULL;
}

static void fuzz_child(int report_fd, uint64_t seed)
{
    int null = open("/dev/null", O_RDWR);
    for (int fd = 0; fd < 3; fd++)
        dup2(null, fd);
    if (null > 2)
        close(null);
    dup2(report_fd, REPORT_FD);
    if (report_fd != REPORT_FD)
        close(report_fd);
    rng_state = seed | 1;
    for (int i = 0; i < SCRATCH_BYTES; i++)
        scratch[i] = (unsigned char)rnd();
    pthread_t helper;
    if (seed & 2)
        pthread_create(&helper, NULL, fuzz_thread, NULL);
    for (int made = 0; made < CHILD_CALLS;) {
        if (!one_call())
            continue;
        if (++made % PROGRESS_CALLS == 0) {
            /* '+': PROGRESS_CALLS more calls; '=': and as many succeeded */
            write(REPORT_FD, "+", 1);
            if (succeeded >= PROGRESS_CALLS) {
                succeeded -= PROGRESS_CALLS;
                write(REPORT_FD, "=", 1);
            }
        }
    }
    forged_sigreturn();
    _exit(0);
}

static void sleep_ms(long ms)
{
    struct timespec ts = {0, ms * 1000000};
    nanosleep(&ts, NULL);
}

struct totals {
    long calls, succeeded, children, exited, signalled, blocked_kills;
};

static void count(struct totals *t, const char *buf, long n)
{
    for (long i = 0; i < n; i++) {
        if (buf[i] == '+')
            t->calls += PROGRESS_CALLS;
        else if (buf[i] == '=')
            t->succeeded += PROGRESS_CALLS;
    }
}

/* Runs one fuzzing child to its end; adds what it did to t. */
static void supervise_one(uint64_t seed, struct totals *t)
{
    int p[2];
    if (pipe2(p, O_NONBLOCK) < 0)
        return;
    pid_t pid = fork();
    if (pid == 0) {
        close(p[0]);
        fuzz_child(p[1], seed);
    }
    close(p[1]);
    t->children++;
    long quiet_ms = 0;
    int st = 0;
    for (;;) {
        char buf[64];
        long n = read(p[0], buf, sizeof buf);
        if (n > 0) {
            count(t, buf, n);
            quiet_ms = 0;
            continue;
        }
        pid_t got = waitpid(pid, &st, WNOHANG);
        if (got == pid)
            break;
        if (quiet_ms >= BLOCKED_MS) {
            kill(pid, SIGKILL);
            t->blocked_kills++;
            waitpid(pid, &st, 0);
            break;
        }
        sleep_ms(POLL_MS);
        quiet_ms += POLL_MS;
    }
    long n;
    char buf[64];
    while ((n = read(p[0], buf, sizeof buf)) > 0)
        count(t, buf, n);
    close(p[0]);
    if (WIFEXITED(st))
        t->exited++;
    else
        t->signalled++;
}

/* Memory as the end check sees it. */
struct mem {
    long free_pages;
    long long heap_bytes; /* the frames the kernel heap holds */
    long long heap_used;  /* the bytes of live objects in it */
};

/*
 * Memory once the page cache holds nothing it can let go of; printed, with
 * where the rest is (the heap, the cache), for a failure's report.
 */
static struct mem measure(const char *when)
{
    sync();
    sc_drop_caches();
    struct sysinfo si;
    struct mem m = {-1, 0, 0};
    if (sysinfo(&si) == 0)
        m.free_pages = (long)(si.freeram * si.mem_unit / PAGE);
    m.heap_bytes = sc_figure("/proc/ember", "heap_size_bytes");
    m.heap_used = sc_figure("/proc/ember", "heap_used_bytes");
    printf("fuzz: %s: %ld free pages, heap %lld bytes (%lld used), %lld "
           "cached pages (%lld dirty)\n",
           when, m.free_pages, m.heap_bytes, m.heap_used,
           sc_figure("/proc/ember", "pcache_pages"),
           sc_figure("/proc/ember", "pcache_dirty"));
    return m;
}

/* After the fuzzing, the ordinary things still work. */
static void kernel_still_works(void)
{
    int fd = open("/scratch/after-fuzz.txt", O_RDWR | O_CREAT | O_TRUNC, 0644);
    char buf[8] = "";
    long w = write(fd, "alive", 5);
    lseek(fd, 0, SEEK_SET);
    long r = read(fd, buf, sizeof buf);
    close(fd);
    sc_check("files_still_work", w == 5 && r == 5 && !memcmp(buf, "alive", 5),
             "write %ld, read %ld, fd %d errno %d", w, r, fd, errno);
    pid_t pid = fork();
    if (pid == 0)
        _exit(9);
    int st = 0;
    waitpid(pid, &st, 0);
    sc_check("fork_still_works", WIFEXITED(st) && WEXITSTATUS(st) == 9,
             "status %#x", st);
}

int main(int argc, char **argv)
{
    sc_begin();
    long target = argc > 1 ? atol(argv[1]) : 10000;
    uint64_t seed = argc > 2 ? strtoull(argv[2], NULL, 0) : 0x5eedf00d;
    mkdir("/scratch/fz", 0755);
    mkdir("/tmp/fz", 0755);
    printf("fuzz: %ld calls, seed %#llx\n", target, (unsigned long long)seed);

    struct totals warm = {0};
    supervise_one(seed ^ 0xabcdef, &warm);
    struct mem base = measure("after the warm-up");

    struct totals t = {0};
    for (uint64_t i = 0; t.calls < target; i++) {
        supervise_one(seed + i * 0x9e3779b97f4a7c15ull, &t);
        if (t.children > target / PROGRESS_CALLS + 10)
            break; /* every child dies at once: stop, the check says so */
    }
    printf("fuzz: %ld calls in %ld children: %ld finished, %ld killed by a "
           "signal (%ld blocked for %d ms); about %ld calls succeeded\n",
           t.calls, t.children, t.exited, t.signalled, t.blocked_kills,
           BLOCKED_MS, t.succeeded);
    sc_check("fuzz_made_all_calls", t.calls >= target, "%ld calls of %ld",
             t.calls, target);
    /* Random calls that all fail test only the argument checks. */
    sc_check("fuzz_reaches_past_argument_checks", t.succeeded * 20 >= t.calls,
             "only %ld of %ld calls succeeded", t.succeeded, t.calls);
    nftw("/tmp/fz", remove_one, FTW_FDS, FTW_DEPTH | FTW_PHYS);
    kernel_still_works();
    struct mem end = measure("at the end");
    /* The heap never shrinks (kernel/mm/kheap.c): frames it grew by for a
     * peak stay in it, free for its next objects, so they count as free
     * here, and its live objects must be back to the baseline. */
    long kept = (long)((end.heap_bytes - base.heap_bytes) / PAGE);
    printf("fuzz: free pages %ld after the warm-up, %ld at the end (+%ld "
           "kept by the heap)\n",
           base.free_pages, end.free_pages, kept);
    sc_check("heap_objects_freed",
             end.heap_used >= 0 &&
                 end.heap_used <= base.heap_used + SLACK_PAGES * PAGE,
             "%lld bytes in use at the end, %lld at the baseline",
             end.heap_used, base.heap_used);
    sc_check("free_memory_returns_to_baseline",
             base.free_pages > 0 &&
                 end.free_pages + kept >= base.free_pages - SLACK_PAGES,
             "%ld free pages at the end and %ld kept by the heap, %ld at the "
             "baseline",
             end.free_pages, kept, base.free_pages);
    return sc_done();
}
