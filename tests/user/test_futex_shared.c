/*
 * Differential test: private and shared futexes, and the shared anonymous
 * memory that lets two processes use one.
 *
 * A MAP_SHARED|MAP_ANONYMOUS page stays one page across fork: each side
 * sees the other's writes. A shared futex there (no FUTEX_PRIVATE_FLAG)
 * is one futex for both processes: a child's FUTEX_WAIT is ended by the
 * parent's FUTEX_WAKE. With FUTEX_PRIVATE_FLAG it is not (a private key
 * is the process's own), and within one process a private wait and a
 * shared wake of the same word do not meet either, as on Linux.
 *
 * The waker first makes sure the waiter sleeps: it polls the waiter's
 * state in /proc (S) with a bound, so the number a wake returns is the
 * same on both systems. A wait that should not be woken ends by its own
 * timeout (ETIMEDOUT), which is all that is printed of it.
 *
 * See: tests/user/README.md, docs/threads.md
 */
#include <fcntl.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>

#include "ucheck.h"

/* <linux/futex.h>'s operations (musl does not ship the header). */
#define FUTEX_WAIT         0
#define FUTEX_WAKE         1
#define FUTEX_PRIVATE_FLAG 128
#define FUTEX_WAIT_PRIVATE (FUTEX_WAIT | FUTEX_PRIVATE_FLAG)
#define FUTEX_WAKE_PRIVATE (FUTEX_WAKE | FUTEX_PRIVATE_FLAG)

#define POLL_TRIES    5000 /* of POLL_NS each: a bound on a hang */
#define POLL_NS       1000000
#define LONG_WAIT_S   20        /* a wait that a wake must end */
#define SHORT_WAIT_NS 300000000 /* a wait that nothing wakes */
#define TEXT_MAX      1024
#define MAP_BYTES     (3 * 4096)

static long futex(uint32_t *word, int op, uint32_t val,
                  const struct timespec *ts)
{
    return syscall(SYS_futex, word, op, val, ts, NULL, 0);
}

static void nap(void)
{
    struct timespec ts = {0, POLL_NS};
    nanosleep(&ts, NULL);
}

/* The state letter in a stat file; 0 if it cannot be read. */
static char state_of(const char *path)
{
    char buf[TEXT_MAX];
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        return 0;
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (n <= 0)
        return 0;
    buf[n] = '\0';
    char *p = strrchr(buf, ')');
    return p && p[1] == ' ' ? p[2] : 0;
}

/* Polls until the stat at path shows S; true if it did. */
static bool asleep(const char *path)
{
    for (int i = 0; i < POLL_TRIES; i++) {
        if (state_of(path) == 'S')
            return true;
        nap();
    }
    return false;
}

/* An errno's name, ETIMEDOUT included. */
static const char *err_name(int e)
{
    return e == ETIMEDOUT ? "ETIMEDOUT" : uc_errname(e);
}

/* What a futex wait returned: 0, or the errno's name. */
static const char *result(long r)
{
    return r == 0 ? "0" : err_name(errno);
}

static void case_shared_memory(void)
{
    uint32_t *m = mmap(NULL, MAP_BYTES, PROT_READ | PROT_WRITE,
                       MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    uc_val("mmap shared anonymous", "%d", m != MAP_FAILED);
    if (m == MAP_FAILED)
        return;
    uc_val("starts zeroed", "%u %u", m[0], m[MAP_BYTES / 4 - 1]);
    m[0] = 1;
    uc_flush();
    pid_t pid = fork();
    if (pid == 0) {
        int ok = m[0] == 1;
        m[1] = 42;                /* the parent must see this */
        m[MAP_BYTES / 4 - 1] = 7; /* and this, on the last page */
        _exit(ok ? 0 : 1);
    }
    int st;
    waitpid(pid, &st, 0);
    uc_status("child saw the parent's write", st);
    uc_val("parent sees the child's writes", "%u %u", m[1],
           m[MAP_BYTES / 4 - 1]);

    uint32_t *priv = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
                          MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    priv[0] = 1;
    uc_flush();
    pid = fork();
    if (pid == 0) {
        priv[0] = 99;
        _exit(0);
    }
    waitpid(pid, &st, 0);
    uc_val("a private page stays private", "%u", priv[0]);
    munmap(priv, 4096);
    munmap(m, MAP_BYTES);
}

/*
 * A child waits on the shared word with wait_op; once it sleeps the parent
 * wakes with wake_op. Prints what the wake returned and how the child's
 * wait ended.
 */
static void across_fork(const char *name, int wait_op, int wake_op,
                        bool should_wake)
{
    uint32_t *m = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
                       MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (m == MAP_FAILED) {
        uc_ret(name, -1);
        return;
    }
    m[0] = 0;
    uc_flush();
    pid_t pid = fork();
    if (pid == 0) {
        struct timespec ts = {should_wake ? LONG_WAIT_S : 0,
                              should_wake ? 0 : SHORT_WAIT_NS};
        long r = futex(&m[0], wait_op, 0, &ts);
        m[1] = r == 0 ? 1 : (uint32_t)errno + 100;
        _exit(0);
    }
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
    bool slept = asleep(path);
    long woke = futex(&m[0], wake_op, 1, NULL);
    int st;
    waitpid(pid, &st, 0);
    uc_val(name, "slept %d, wake returned %ld, wait ended %s", slept, woke,
           m[1] == 1 ? "woken" : err_name((int)m[1] - 100));
    munmap(m, 4096);
}

/* ---- one process: private wait, shared wake ---- */

static uint32_t word;
static pid_t waiter_tid;
static long waiter_result;
static int waiter_errno;
static int waiter_op;
static long waiter_ns;

static void *waiter(void *arg)
{
    (void)arg;
    waiter_tid = (pid_t)syscall(SYS_gettid);
    struct timespec ts = {waiter_ns / 1000000000, waiter_ns % 1000000000};
    waiter_result = futex(&word, waiter_op, 0, &ts);
    waiter_errno = errno;
    return NULL;
}

static void in_process(const char *name, int wait_op, int wake_op, long ns)
{
    word = 0;
    waiter_tid = 0;
    waiter_op = wait_op;
    waiter_ns = ns;
    pthread_t t;
    pthread_create(&t, NULL, waiter, NULL);
    while (__atomic_load_n(&waiter_tid, __ATOMIC_SEQ_CST) == 0)
        nap();
    char path[96];
    snprintf(path, sizeof path, "/proc/self/task/%d/stat", (int)waiter_tid);
    bool slept = asleep(path);
    long woke = futex(&word, wake_op, 1, NULL);
    pthread_join(t, NULL);
    uc_val(name, "slept %d, wake returned %ld, wait ended %s", slept, woke,
           waiter_result == 0 ? "woken" : err_name(waiter_errno));
}

static void case_errors(void)
{
    uint32_t *m = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
                       MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    m[0] = 5;
    struct timespec ts = {0, 1000};
    long r = futex(&m[0], FUTEX_WAIT, 4, &ts);
    uc_val("shared wait, word differs", "%s", result(r));
    r = futex(&m[0], FUTEX_WAIT, 5, &ts);
    uc_val("shared wait, times out", "%s", result(r));
    uc_ret("shared wake, nobody", futex(&m[0], FUTEX_WAKE, 1, NULL));
    uc_ret("private wake, nobody", futex(&m[0], FUTEX_WAKE_PRIVATE, 1, NULL));
    uc_ret("shared wake, misaligned",
           futex((uint32_t *)((char *)m + 1), FUTEX_WAKE, 1, NULL));
    munmap(m, 4096);
    r = futex(&m[0], FUTEX_WAIT, 5, &ts);
    uc_val("shared wait, unmapped", "%s", result(r));
    uc_ret("shared wake, unmapped", futex(&m[0], FUTEX_WAKE, 1, NULL));
    uc_ret("private wake, unmapped", futex(&m[0], FUTEX_WAKE_PRIVATE, 1, NULL));
}

int main(int argc, char **argv)
{
    uc_open(argc, argv);
    case_shared_memory();
    across_fork("fork: shared wait, shared wake", FUTEX_WAIT, FUTEX_WAKE, true);
    across_fork("fork: private wait, private wake", FUTEX_WAIT_PRIVATE,
                FUTEX_WAKE_PRIVATE, false);
    across_fork("fork: shared wait, private wake", FUTEX_WAIT,
                FUTEX_WAKE_PRIVATE, false);
    in_process("threads: private wait, private wake", FUTEX_WAIT_PRIVATE,
               FUTEX_WAKE_PRIVATE, (long)LONG_WAIT_S * 1000000000);
    in_process("threads: shared wait, shared wake", FUTEX_WAIT, FUTEX_WAKE,
               (long)LONG_WAIT_S * 1000000000);
    in_process("threads: private wait, shared wake", FUTEX_WAIT_PRIVATE,
               FUTEX_WAKE, SHORT_WAIT_NS);
    in_process("threads: shared wait, private wake", FUTEX_WAIT,
               FUTEX_WAKE_PRIVATE, SHORT_WAIT_NS);
    case_errors();
    return uc_close();
}
