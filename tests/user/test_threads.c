/*
 * Threads, differentially: musl's pthreads on Linux and on Ember.
 *
 * Each case uses the C library as a program would (pthread_create/join,
 * mutexes, condition variables, a barrier, __thread, pthread_kill) or the
 * raw calls beneath it (futex, tgkill, clone's flag checks, exit versus
 * exit_group), and prints only what is the same on any system with Linux's
 * semantics: sums, counts, flags, errno names and exit statuses. Nothing
 * depends on timing: threads meet through mutexes, barriers and signal
 * masks, never through sleeps, and the one timeout case (a futex wait on
 * a word nobody wakes) checks only that it ends with ETIMEDOUT. Cases
 * that end a process (a thread's segfault, exit_group, exec from a
 * threaded process) run in a forked child whose status is printed.
 *
 * See: tests/user/README.md, docs/threads.md
 */
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <time.h>

#include "ucheck.h"

#define NTHREADS    8
#define NMANY       64
#define ITERATIONS  10000
#define QUEUE_ITEMS 100

static pid_t gettid_raw(void)
{
    return (pid_t)syscall(SYS_gettid);
}

/* ---- create, join, ids ---- */

static pid_t main_tid;

static void *double_it(void *arg)
{
    return (void *)((intptr_t)arg * 2);
}

struct ids {
    pid_t pid, tid;
};

static void *report_ids(void *arg)
{
    struct ids *ids = arg;
    ids->pid = getpid();
    ids->tid = gettid_raw();
    return NULL;
}

static void case_create_join(void)
{
    pthread_t t[NTHREADS];
    long sum = 0;
    for (intptr_t i = 0; i < NTHREADS; i++)
        pthread_create(&t[i], NULL, double_it, (void *)i);
    for (int i = 0; i < NTHREADS; i++) {
        void *r;
        pthread_join(t[i], &r);
        sum += (intptr_t)r;
    }
    uc_val("create_join sum", "%ld", sum);

    struct ids ids;
    pthread_t one;
    pthread_create(&one, NULL, report_ids, &ids);
    pthread_join(one, NULL);
    uc_val("thread pid is the process's", "%d", ids.pid == getpid());
    uc_val("thread tid differs", "%d", ids.tid != getpid() && ids.tid > 0);
    uc_val("main tid is the pid", "%d", main_tid == getpid());
}

/* ---- a mutex ---- */

static pthread_mutex_t count_lock = PTHREAD_MUTEX_INITIALIZER;
static long counter;

static void *count_up(void *arg)
{
    (void)arg;
    for (int i = 0; i < ITERATIONS; i++) {
        pthread_mutex_lock(&count_lock);
        long c = counter;
        if (i % 97 == 0)
            sched_yield(); /* hold the lock across a switch now and then */
        counter = c + 1;
        pthread_mutex_unlock(&count_lock);
    }
    return NULL;
}

static void case_mutex(void)
{
    pthread_t t[NTHREADS];
    for (int i = 0; i < NTHREADS; i++)
        pthread_create(&t[i], NULL, count_up, NULL);
    for (int i = 0; i < NTHREADS; i++)
        pthread_join(t[i], NULL);
    uc_val("mutex counter", "%ld", counter);
    uc_ret("trylock free", pthread_mutex_trylock(&count_lock));
    uc_val("trylock held", "%s",
           pthread_mutex_trylock(&count_lock) == EBUSY ? "EBUSY" : "?");
    pthread_mutex_unlock(&count_lock);
}

/* ---- a condition variable: a one-slot queue ---- */

static struct {
    pthread_mutex_t lock;
    pthread_cond_t changed;
    int full, item, done;
} queue = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0, 0, 0};

static void *consume(void *arg)
{
    long *sum = arg;
    pthread_mutex_lock(&queue.lock);
    for (;;) {
        while (!queue.full && !queue.done)
            pthread_cond_wait(&queue.changed, &queue.lock);
        if (!queue.full)
            break;
        *sum += queue.item;
        queue.full = 0;
        pthread_cond_broadcast(&queue.changed);
    }
    pthread_mutex_unlock(&queue.lock);
    return NULL;
}

static void case_condvar(void)
{
    long sums[2] = {0, 0};
    pthread_t c[2];
    for (int i = 0; i < 2; i++)
        pthread_create(&c[i], NULL, consume, &sums[i]);
    for (int i = 1; i <= QUEUE_ITEMS; i++) {
        pthread_mutex_lock(&queue.lock);
        while (queue.full)
            pthread_cond_wait(&queue.changed, &queue.lock);
        queue.item = i;
        queue.full = 1;
        pthread_cond_broadcast(&queue.changed);
        pthread_mutex_unlock(&queue.lock);
    }
    pthread_mutex_lock(&queue.lock);
    while (queue.full)
        pthread_cond_wait(&queue.changed, &queue.lock);
    queue.done = 1;
    pthread_cond_broadcast(&queue.changed);
    pthread_mutex_unlock(&queue.lock);
    for (int i = 0; i < 2; i++)
        pthread_join(c[i], NULL);
    uc_val("condvar sum", "%ld", sums[0] + sums[1]);

    /* A timed wait nobody signals: ETIMEDOUT, however long it took. */
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    ts.tv_nsec += 20 * 1000 * 1000;
    if (ts.tv_nsec >= 1000000000) {
        ts.tv_sec++;
        ts.tv_nsec -= 1000000000;
    }
    pthread_mutex_lock(&queue.lock);
    int r;
    do /* a wake-up with nothing to see is allowed: wait again */
        r = pthread_cond_timedwait(&queue.changed, &queue.lock, &ts);
    while (r == 0);
    pthread_mutex_unlock(&queue.lock);
    uc_val("cond_timedwait", "%s", r == ETIMEDOUT ? "ETIMEDOUT" : "?");
}

/* ---- a barrier ---- */

#define PHASES 5
static pthread_barrier_t barrier;
static int slots[PHASES][NTHREADS];
static int serials, barrier_errors;
static pthread_mutex_t serial_lock = PTHREAD_MUTEX_INITIALIZER;

static void *phase_worker(void *arg)
{
    int id = (int)(intptr_t)arg;
    for (int ph = 0; ph < PHASES; ph++) {
        slots[ph][id] = ph * 100 + id;
        int r = pthread_barrier_wait(&barrier);
        pthread_mutex_lock(&serial_lock);
        if (r == PTHREAD_BARRIER_SERIAL_THREAD)
            serials++;
        /* Past the barrier every thread's slot of this phase is written. */
        for (int j = 0; j < NTHREADS; j++)
            if (slots[ph][j] != ph * 100 + j)
                barrier_errors++;
        pthread_mutex_unlock(&serial_lock);
        pthread_barrier_wait(&barrier);
    }
    return NULL;
}

static void case_barrier(void)
{
    pthread_t t[NTHREADS];
    pthread_barrier_init(&barrier, NULL, NTHREADS);
    for (intptr_t i = 0; i < NTHREADS; i++)
        pthread_create(&t[i], NULL, phase_worker, (void *)i);
    for (int i = 0; i < NTHREADS; i++)
        pthread_join(t[i], NULL);
    pthread_barrier_destroy(&barrier);
    uc_val("barrier serial threads", "%d", serials);
    uc_val("barrier errors", "%d", barrier_errors);
}

/* ---- thread-local storage ---- */

static __thread int tls_value = 5;
static __thread char tls_buf[64];

static void *tls_worker(void *arg)
{
    int id = (int)(intptr_t)arg;
    int ok = tls_value == 5; /* the initial image, for every thread */
    tls_value = id;
    snprintf(tls_buf, sizeof tls_buf, "thread %d", id);
    for (int i = 0; i < 100; i++) {
        sched_yield();
        ok &= tls_value == id;
    }
    char want[64];
    snprintf(want, sizeof want, "thread %d", id);
    ok &= strcmp(tls_buf, want) == 0;
    return (void *)(intptr_t)ok;
}

static void case_tls(void)
{
    pthread_t t[NTHREADS];
    int ok = 1;
    tls_value = 99;
    for (intptr_t i = 0; i < NTHREADS; i++)
        pthread_create(&t[i], NULL, tls_worker, (void *)i);
    for (int i = 0; i < NTHREADS; i++) {
        void *r;
        pthread_join(t[i], &r);
        ok &= (int)(intptr_t)r;
    }
    uc_val("tls per thread", "%d", ok);
    uc_val("tls main kept", "%d", tls_value);
}

/* ---- 64 threads doing work ---- */

static void *sum_range(void *arg)
{
    uint64_t id = (uint64_t)(intptr_t)arg, sum = 0;
    for (uint64_t i = id * 100000; i < (id + 1) * 100000; i++)
        sum += i * i % 1000003;
    return (void *)(intptr_t)sum;
}

static void case_many(void)
{
    pthread_t t[NMANY];
    uint64_t total = 0;
    int created = 0;
    for (intptr_t i = 0; i < NMANY; i++)
        created += pthread_create(&t[i], NULL, sum_range, (void *)i) == 0;
    for (int i = 0; i < created; i++) {
        void *r;
        pthread_join(t[i], &r);
        total += (uint64_t)(intptr_t)r;
    }
    uc_val("64 threads created", "%d", created);
    uc_val("64 threads total", "%llu", (unsigned long long)total);
}

/* ---- signals to threads ---- */

static volatile sig_atomic_t got_sig;
static volatile pid_t handler_tid;

static void on_signal(int sig)
{
    got_sig = sig;
    handler_tid = gettid_raw();
}

struct waiter {
    int sig;
    pid_t tid;
    pthread_barrier_t ready;
};

/* Waits for w->sig with it blocked outside sigsuspend: no lost wake-up. */
static void *signal_waiter(void *arg)
{
    struct waiter *w = arg;
    sigset_t block, none;
    sigemptyset(&block);
    sigaddset(&block, w->sig);
    pthread_sigmask(SIG_BLOCK, &block, NULL);
    w->tid = gettid_raw();
    pthread_barrier_wait(&w->ready);
    sigemptyset(&none);
    while (got_sig != w->sig)
        sigsuspend(&none);
    return NULL;
}

static void case_pthread_kill(void)
{
    struct sigaction sa = {.sa_handler = on_signal};
    sigaction(SIGUSR1, &sa, NULL);
    struct waiter w = {.sig = SIGUSR1};
    pthread_barrier_init(&w.ready, NULL, 2);
    pthread_t t;
    pthread_create(&t, NULL, signal_waiter, &w);
    pthread_barrier_wait(&w.ready);
    uc_ret("pthread_kill", pthread_kill(t, SIGUSR1));
    pthread_join(t, NULL);
    uc_val("handler ran in the target", "%d", handler_tid == w.tid);
    pthread_barrier_destroy(&w.ready);
}

static void case_process_signal(void)
{
    /* Main blocks SIGUSR2: kill() of the process must reach the thread. */
    struct sigaction sa = {.sa_handler = on_signal};
    sigaction(SIGUSR2, &sa, NULL);
    sigset_t block, old;
    sigemptyset(&block);
    sigaddset(&block, SIGUSR2);
    pthread_sigmask(SIG_BLOCK, &block, &old);
    got_sig = 0;
    struct waiter w = {.sig = SIGUSR2};
    pthread_barrier_init(&w.ready, NULL, 2);
    pthread_t t;
    pthread_create(&t, NULL, signal_waiter, &w);
    pthread_barrier_wait(&w.ready);
    uc_ret("kill the process", kill(getpid(), SIGUSR2));
    pthread_join(t, NULL);
    uc_val("process signal taken by the thread", "%d", handler_tid == w.tid);
    sigset_t now;
    pthread_sigmask(SIG_SETMASK, NULL, &now);
    uc_val("main mask kept", "%d", sigismember(&now, SIGUSR2));
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    pthread_barrier_destroy(&w.ready);
}

static void *mask_and_altstack(void *arg)
{
    int *out = arg;
    sigset_t m;
    pthread_sigmask(SIG_SETMASK, NULL, &m);
    out[0] = sigismember(&m, SIGUSR1); /* inherited from the creator */
    stack_t ss;
    sigaltstack(NULL, &ss);
    out[1] = ss.ss_flags == SS_DISABLE; /* a new thread has none */
    sigemptyset(&m);
    sigaddset(&m, SIGHUP);
    pthread_sigmask(SIG_BLOCK, &m, NULL); /* only this thread's */
    return NULL;
}

static void case_masks(void)
{
    static char alt[64 * 1024];
    stack_t ss = {.ss_sp = alt, .ss_size = sizeof alt};
    uc_ret("main sigaltstack", sigaltstack(&ss, NULL));
    sigset_t m, old;
    sigemptyset(&m);
    sigaddset(&m, SIGUSR1);
    pthread_sigmask(SIG_BLOCK, &m, &old);
    int out[2];
    pthread_t t;
    pthread_create(&t, NULL, mask_and_altstack, out);
    pthread_join(t, NULL);
    pthread_sigmask(SIG_SETMASK, NULL, &m);
    uc_val("thread inherits the mask", "%d", out[0]);
    uc_val("thread has no altstack", "%d", out[1]);
    uc_val("thread's block stays its own", "%d", sigismember(&m, SIGHUP));
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    ss.ss_flags = SS_DISABLE;
    sigaltstack(&ss, NULL);
}

static void case_tgkill(void)
{
    uc_ret("tgkill self sig 0", syscall(SYS_tgkill, getpid(), main_tid, 0));
    uc_ret("tgkill wrong group", syscall(SYS_tgkill, getppid(), main_tid, 0));
    uc_ret("tgkill bad tid", syscall(SYS_tgkill, getpid(), -5, 0));
    uc_ret("tkill self sig 0", syscall(SYS_tkill, main_tid, 0));
}

/* ---- futex, raw ---- */

#define FUTEX_WAIT_PRIV 128
#define FUTEX_WAKE_PRIV 129

static void case_futex(void)
{
    static int word = 7;
    struct timespec ts = {0, 10 * 1000 * 1000};
    long r = syscall(SYS_futex, &word, FUTEX_WAIT_PRIV, 7, &ts, NULL, 0);
    uc_val("futex wait timeout", "%ld %s", r,
           errno == ETIMEDOUT ? "ETIMEDOUT" : uc_errname(errno));
    uc_ret("futex wait changed",
           syscall(SYS_futex, &word, FUTEX_WAIT_PRIV, 8, &ts, NULL, 0));
    uc_ret("futex wake nobody",
           syscall(SYS_futex, &word, FUTEX_WAKE_PRIV, 1, NULL, NULL, 0));
    uc_ret("futex unaligned", syscall(SYS_futex, (char *)&word + 1,
                                      FUTEX_WAIT_PRIV, 7, &ts, NULL, 0));
    uc_ret("futex bad address",
           syscall(SYS_futex, (int *)16, FUTEX_WAIT_PRIV, 7, &ts, NULL, 0));
    struct timespec bad = {0, 2000000000};
    uc_ret("futex bad timeout",
           syscall(SYS_futex, &word, FUTEX_WAIT_PRIV, 7, &bad, NULL, 0));
    uc_ret("futex unknown op",
           syscall(SYS_futex, &word, 0x7f, 7, NULL, NULL, 0));
}

/* ---- clone's flag rules ---- */

#define CLONE_THREAD_ONLY 0x00010000
#define CLONE_SIGHAND_VM  0x00000900

static void case_clone_flags(void)
{
    uc_ret("clone THREAD without SIGHAND",
           syscall(SYS_clone, CLONE_THREAD_ONLY, NULL, NULL, NULL, 0));
    uc_ret("clone SIGHAND without VM",
           syscall(SYS_clone, 0x800, NULL, NULL, NULL, 0));
    (void)CLONE_SIGHAND_VM;
}

/* ---- ways a threaded process ends ---- */

static int *volatile nowhere; /* NULL, hidden from the compiler */

static void *crash(void *arg)
{
    (void)arg;
    *nowhere = 1;
    return NULL;
}

static void *exit_group_5(void *arg)
{
    (void)arg;
    syscall(SYS_exit_group, 5);
    return NULL;
}

static volatile int exit_word = -1; /* the thread's clear-tid word */

static void *exit_thread_only(void *arg)
{
    (void)arg;
    exit_word = gettid_raw();
    syscall(SYS_set_tid_address, &exit_word);
    syscall(SYS_exit, 9); /* this thread alone: its status is nobody's */
    return NULL;
}

static void forever(void)
{
    for (;;)
        pause();
}

static void child_crash(void)
{
    pthread_t t;
    pthread_create(&t, NULL, crash, NULL);
    forever();
}

static void child_exit_group(void)
{
    pthread_t t;
    pthread_create(&t, NULL, exit_group_5, NULL);
    forever();
}

static void child_exit_thread(void)
{
    pthread_t t;
    pthread_create(&t, NULL, exit_thread_only, NULL);
    /* The kernel zeroes the word and wakes it when the thread is gone:
     * a shared wake, which on Linux meets only a shared (op 0) wait. */
    int v;
    while ((v = exit_word) != 0)
        syscall(SYS_futex, &exit_word, 0, v, NULL, NULL, 0);
    _exit(7);
}

static volatile int main_word = -1; /* the main thread's clear-tid word */

static void *outlive_main(void *arg)
{
    (void)arg;
    int v;
    while ((v = main_word) != 0) /* zeroed when the main thread is gone */
        syscall(SYS_futex, &main_word, 0, v, NULL, NULL, 0);
    syscall(SYS_exit_group, 6);
    return NULL;
}

static void child_main_exits_first(void)
{
    pthread_t t;
    pthread_create(&t, NULL, outlive_main, NULL);
    main_word = gettid_raw();
    syscall(SYS_set_tid_address, &main_word);
    syscall(SYS_exit, 0); /* the process lives on in its other thread */
}

static void *fork_in_thread(void *arg)
{
    int *st = arg;
    pid_t pid = fork();
    if (pid == 0)
        _exit(3);
    waitpid(pid, st, 0);
    return NULL;
}

static void child_fork_from_thread(void)
{
    int st = 0;
    pthread_t t;
    pthread_create(&t, NULL, fork_in_thread, &st);
    pthread_join(t, NULL);
    _exit(WIFEXITED(st) ? 40 + WEXITSTATUS(st) : 1);
}

static void *sleep_forever(void *arg)
{
    (void)arg;
    forever();
    return NULL;
}

static void child_exec(void)
{
    pthread_t t[4];
    for (int i = 0; i < 4; i++)
        pthread_create(&t[i], NULL, sleep_forever, NULL);
    execl(uc_self, uc_self, "--exec-child", (char *)NULL);
    _exit(1);
}

static void *exec_in_thread(void *arg)
{
    (void)arg;
    execl(uc_self, uc_self, "--exec-child", (char *)NULL);
    return NULL;
}

static void child_exec_from_thread(void)
{
    pthread_t t;
    pthread_create(&t, NULL, exec_in_thread, NULL);
    forever();
}

static void case_endings(void)
{
    uc_child("thread segfault kills the process", child_crash);
    uc_child("exit_group from a thread", child_exit_group);
    uc_child("exit of one thread", child_exit_thread);
    uc_child("main thread exits first", child_main_exits_first);
    uc_child("fork from a thread", child_fork_from_thread);
    uc_child("exec with threads", child_exec);
    uc_child("exec from a thread", child_exec_from_thread);
}

int main(int argc, char **argv)
{
    if (argc == 2 && strcmp(argv[1], "--exec-child") == 0) {
        /* The new image: one thread, whose tid is the pid again. */
        _exit(gettid_raw() == getpid() ? 42 : 1);
    }
    uc_open(argc, argv);
    main_tid = gettid_raw();
    case_create_join();
    case_mutex();
    case_condvar();
    case_barrier();
    case_tls();
    case_many();
    case_pthread_kill();
    case_process_signal();
    case_masks();
    case_tgkill();
    case_futex();
    case_clone_flags();
    case_endings();
    return uc_close();
}
