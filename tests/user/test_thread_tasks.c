/*
 * Differential test: threads as /proc shows them, and which thread takes a
 * signal sent to the process - musl's pthreads on Linux and on Ember.
 *
 * /proc/self/task holds one directory per thread id: the sorted listing
 * is compared with the ids the threads report (gettid), before, during
 * and after they run; each task/<tid>/ has stat (its own id in field 1,
 * the thread count in field 20), status (Pid, Tgid, Threads, SigBlk of
 * that thread) and comm; /proc/<tid> opens, unlisted. A thread waiting on
 * a futex shows S, and every thread of a stopped process T.
 *
 * Signals: a kill() to the process goes to a thread that does not block
 * it; when every thread blocks it, it stays pending for the process (each
 * thread's sigpending and status ShdPnd show it) until one unblocks it,
 * and that one runs the handler. A tgkill'd signal stays with its thread.
 * Which thread ran a handler is printed as its index, never as a tid.
 *
 * Waits for a state (a thread asleep, a thread gone from the listing) are
 * bounded polls of /proc, not sleeps: the answer is the same on any
 * system that gets there. With a second argument "hold" the program only
 * starts threads that wait for ever (a `ps -T` test's subject).
 *
 * See: tests/user/README.md, docs/threads.md
 */
#include <dirent.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <time.h>

#include "ucheck.h"

#define NWORKERS     5
#define MAX_IDS      64
#define POLL_TRIES   5000 /* of POLL_NS each: a bound on a hang */
#define POLL_NS      1000000
#define TEXT_MAX     4096
#define SIGUSR1_MASK (1ul << (SIGUSR1 - 1))

static pid_t gettid_raw(void)
{
    return (pid_t)syscall(SYS_gettid);
}

static void nap(void)
{
    struct timespec ts = {0, POLL_NS};
    nanosleep(&ts, NULL);
}

static int cmp_int(const void *a, const void *b)
{
    return *(const int *)a - *(const int *)b;
}

/* The numeric names in dir, sorted; returns how many (-1: cannot open). */
static int list_ids(const char *dir, int *ids, int max)
{
    DIR *d = opendir(dir);
    if (!d)
        return -1;
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] >= '0' && e->d_name[0] <= '9' && n < max)
            ids[n++] = atoi(e->d_name);
    }
    closedir(d);
    qsort(ids, (size_t)n, sizeof ids[0], cmp_int);
    return n;
}

/* The whole of a small file, NUL-terminated; its length or -1. */
static int slurp(const char *path, char *buf, size_t cap)
{
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        return -1;
    ssize_t n = read(fd, buf, cap - 1);
    close(fd);
    if (n < 0)
        return -1;
    buf[n] = '\0';
    return (int)n;
}

/* Field n (1-based) of a stat file, as a number; the state letter (3) as
 * its character code. -1 if the file cannot be read. */
static long stat_field(const char *path, int n)
{
    char buf[TEXT_MAX];
    if (slurp(path, buf, sizeof buf) < 0)
        return -1;
    if (n == 1)
        return atol(buf);
    char *p = strrchr(buf, ')'); /* comm may hold spaces */
    if (!p)
        return -1;
    p += 2; /* field 3 */
    for (int f = 3; f < n; f++) {
        p = strchr(p, ' ');
        if (!p)
            return -1;
        p++;
    }
    return n == 3 ? *p : atol(p);
}

/* The value after "key:" in a status file, as text (first word). */
static const char *status_value(const char *path, const char *key, char *out,
                                size_t cap)
{
    char buf[TEXT_MAX];
    snprintf(out, cap, "?");
    if (slurp(path, buf, sizeof buf) < 0)
        return out;
    size_t klen = strlen(key);
    for (char *line = buf; line && *line;) {
        char *next = strchr(line, '\n');
        if (next)
            *next++ = '\0';
        if (strncmp(line, key, klen) == 0 && line[klen] == ':') {
            char *v = line + klen + 1;
            while (*v == '\t' || *v == ' ')
                v++;
            snprintf(out, cap, "%s", v);
            char *sp = strpbrk(out, " \t");
            if (sp)
                *sp = '\0';
            return out;
        }
        line = next;
    }
    return out;
}

static unsigned long status_hex(const char *path, const char *key)
{
    char v[64];
    return strtoul(status_value(path, key, v, sizeof v), NULL, 16);
}

static int task_path(char *buf, size_t cap, pid_t pid, pid_t tid,
                     const char *file)
{
    return snprintf(buf, cap, "/proc/%d/task/%d/%s", (int)pid, (int)tid, file);
}

/* Polls tid's state letter until it is want; true if it got there. */
static bool reaches_state(pid_t pid, pid_t tid, char want)
{
    char path[96];
    task_path(path, sizeof path, pid, tid, "stat");
    for (int i = 0; i < POLL_TRIES; i++) {
        if (stat_field(path, 3) == want)
            return true;
        nap();
    }
    return false;
}

/* ---- the listing ---- */

static pthread_barrier_t started;
static pthread_mutex_t hold = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t release = PTHREAD_COND_INITIALIZER;
static bool released;
static pid_t worker_tid[NWORKERS];

static void *worker(void *arg)
{
    int i = (int)(intptr_t)arg;
    worker_tid[i] = gettid_raw();
    if (i == 0) { /* worker 0 blocks SIGUSR1: its status must say so */
        sigset_t s;
        sigemptyset(&s);
        sigaddset(&s, SIGUSR1);
        pthread_sigmask(SIG_BLOCK, &s, NULL);
    }
    pthread_barrier_wait(&started);
    pthread_mutex_lock(&hold);
    while (!released)
        pthread_cond_wait(&release, &hold);
    pthread_mutex_unlock(&hold);
    return NULL;
}

static void case_listing(void)
{
    int ids[MAX_IDS];
    pid_t me = getpid();
    int n = list_ids("/proc/self/task", ids, MAX_IDS);
    uc_val("task/ alone", "%d %d", n, n == 1 && ids[0] == me);

    pthread_t t[NWORKERS];
    pthread_barrier_init(&started, NULL, NWORKERS + 1);
    for (int i = 0; i < NWORKERS; i++)
        pthread_create(&t[i], NULL, worker, (void *)(intptr_t)i);
    pthread_barrier_wait(&started);

    n = list_ids("/proc/self/task", ids, MAX_IDS);
    int want[NWORKERS + 1];
    want[0] = me;
    for (int i = 0; i < NWORKERS; i++)
        want[i + 1] = worker_tid[i];
    qsort(want, NWORKERS + 1, sizeof want[0], cmp_int);
    uc_val("task/ with workers", "%d same ids %d", n,
           n == NWORKERS + 1 && memcmp(ids, want, sizeof want) == 0);
    char path[96], v[64];
    snprintf(path, sizeof path, "/proc/%d/task", (int)me);
    uc_val("by pid too", "%d", list_ids(path, ids, MAX_IDS));
    uc_val("process status Threads", "%s",
           status_value("/proc/self/status", "Threads", v, sizeof v));
    uc_val("process stat num_threads", "%ld",
           stat_field("/proc/self/stat", 20));

    int ok_stat = 0, ok_status = 0, ok_comm = 0, asleep = 0;
    char comm[64], tcomm[64];
    slurp("/proc/self/comm", comm, sizeof comm);
    for (int i = 0; i < NWORKERS; i++) {
        pid_t tid = worker_tid[i];
        task_path(path, sizeof path, me, tid, "stat");
        ok_stat += stat_field(path, 1) == tid &&
                   stat_field(path, 4) == getppid() &&
                   stat_field(path, 20) == NWORKERS + 1;
        task_path(path, sizeof path, me, tid, "status");
        ok_status +=
            atoi(status_value(path, "Pid", v, sizeof v)) == tid &&
            atoi(status_value(path, "Tgid", v, sizeof v)) == me &&
            atoi(status_value(path, "Threads", v, sizeof v)) == NWORKERS + 1;
        task_path(path, sizeof path, me, tid, "comm");
        ok_comm +=
            slurp(path, tcomm, sizeof tcomm) > 0 && strcmp(comm, tcomm) == 0;
        asleep += reaches_state(me, tid, 'S');
    }
    uc_val("task stat: tid, ppid, threads", "%d", ok_stat);
    uc_val("task status: Pid, Tgid, Threads", "%d", ok_status);
    uc_val("task comm is the process's", "%d", ok_comm);
    uc_val("waiting workers sleep", "%d", asleep);
    task_path(path, sizeof path, me, worker_tid[0], "status");
    uc_val("worker 0 SigBlk has SIGUSR1", "%d",
           (status_hex(path, "SigBlk") & SIGUSR1_MASK) != 0);
    task_path(path, sizeof path, me, worker_tid[1], "status");
    uc_val("worker 1 SigBlk has not", "%d",
           (status_hex(path, "SigBlk") & SIGUSR1_MASK) != 0);
    task_path(path, sizeof path, me, me, "stat");
    uc_val("main thread's own entry", "%d", stat_field(path, 1) == me);
    snprintf(path, sizeof path, "/proc/%d/stat", (int)worker_tid[2]);
    uc_val("/proc/<tid>/stat is the thread's", "%d",
           stat_field(path, 1) == worker_tid[2]);
    snprintf(path, sizeof path, "/proc/%d/task", (int)worker_tid[2]);
    uc_val("/proc/<tid>/task lists the process's", "%d",
           list_ids(path, ids, MAX_IDS));
    int all[MAX_IDS * 4], nall = list_ids("/proc", all, MAX_IDS * 4);
    bool listed = false;
    for (int i = 0; i < nall; i++)
        listed |= all[i] == worker_tid[2];
    uc_val("but /proc does not list it", "%d", listed);
    task_path(path, sizeof path, me, 999999, "stat");
    uc_ret("no such thread", open(path, O_RDONLY));
    task_path(path, sizeof path, me, 1, "stat");
    uc_ret("another process's id", open(path, O_RDONLY));
    snprintf(path, sizeof path, "/proc/self/task/%d/task", (int)me);
    uc_ret("no task/ inside a task", open(path, O_RDONLY));

    pthread_mutex_lock(&hold);
    released = true;
    pthread_cond_broadcast(&release);
    pthread_mutex_unlock(&hold);
    for (int i = 0; i < NWORKERS; i++)
        pthread_join(t[i], NULL);
    pthread_barrier_destroy(&started);
    for (int i = 0; i < POLL_TRIES; i++) { /* a joined thread may linger */
        n = list_ids("/proc/self/task", ids, MAX_IDS);
        if (n == 1)
            break;
        nap();
    }
    uc_val("task/ after join", "%d %d", n, n == 1 && ids[0] == me);
}

/* ---- a stopped process: every thread T ---- */

static void *idle(void *arg)
{
    (void)arg;
    for (;;)
        pause();
    return NULL;
}

static void case_stopped(void)
{
    int pipefd[2];
    pipe(pipefd);
    uc_flush();
    pid_t pid = fork();
    if (pid == 0) {
        pthread_t t;
        for (int i = 0; i < 2; i++)
            pthread_create(&t, NULL, idle, NULL);
        write(pipefd[1], "r", 1);
        for (;;)
            pause();
    }
    char c;
    read(pipefd[0], &c, 1);
    close(pipefd[0]);
    close(pipefd[1]);
    int ids[MAX_IDS], st;
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/task", (int)pid);
    uc_val("child's task/", "%d", list_ids(path, ids, MAX_IDS));
    kill(pid, SIGSTOP);
    waitpid(pid, &st, WUNTRACED);
    int n = list_ids(path, ids, MAX_IDS), stopped = 0;
    for (int i = 0; i < n; i++)
        stopped += reaches_state(pid, ids[i], 'T');
    uc_val("stopped threads", "%d of %d", stopped, n);
    kill(pid, SIGKILL);
    waitpid(pid, &st, 0);
    uc_ret("task/ of a reaped child", open(path, O_RDONLY));
}

/* ---- which thread takes a process's signal ---- */

static volatile pid_t took_tid;
static volatile int took_count;

static void on_usr1(int sig)
{
    (void)sig;
    took_tid = gettid_raw();
    took_count++;
}

static void block_usr1(int how)
{
    sigset_t s;
    sigemptyset(&s);
    sigaddset(&s, SIGUSR1);
    pthread_sigmask(how, &s, NULL);
}

static bool usr1_pending(void)
{
    sigset_t s;
    sigpending(&s);
    return sigismember(&s, SIGUSR1);
}

/* The helpers' steps, driven by the main thread through a pipe each. */
struct helper {
    pthread_t t;
    pid_t tid;
    int cmd[2];  /* main -> helper: one byte a step */
    int done[2]; /* helper -> main */
    bool pending_seen;
};

enum {
    STEP_UNBLOCK = 'u',
    STEP_PENDING = 'p',
    STEP_BLOCK = 'b',
    STEP_END = 'e'
};

static void *helper_main(void *arg)
{
    struct helper *h = arg;
    h->tid = gettid_raw();
    char c;
    for (;;) {
        /* A blocking read: a signal it does not block interrupts it, the
         * handler runs here, and read restarts (SA_RESTART). */
        if (read(h->cmd[0], &c, 1) != 1 || c == STEP_END)
            break;
        if (c == STEP_UNBLOCK)
            block_usr1(SIG_UNBLOCK);
        else if (c == STEP_BLOCK)
            block_usr1(SIG_BLOCK);
        else if (c == STEP_PENDING)
            h->pending_seen = usr1_pending();
        write(h->done[1], &c, 1);
    }
    return NULL;
}

/* Has h do one step and waits until it has (STEP_END: no answer). */
static void step(struct helper *h, char c)
{
    write(h->cmd[1], &c, 1);
    if (c != STEP_END)
        read(h->done[0], &c, 1);
}

/* Waits (bounded) until a handler has run count times in all. */
static void wait_taken(int count)
{
    for (int i = 0; i < POLL_TRIES && took_count < count; i++)
        nap();
}

static const char *who(struct helper *hs, int nh)
{
    if (took_tid == gettid_raw())
        return "main";
    for (int i = 0; i < nh; i++)
        if (took_tid == hs[i].tid)
            return i == 0 ? "helper 0" : "helper 1";
    return "none";
}

static void case_routing(void)
{
    struct sigaction sa = {.sa_handler = on_usr1, .sa_flags = SA_RESTART};
    sigemptyset(&sa.sa_mask);
    sigaction(SIGUSR1, &sa, NULL);
    block_usr1(SIG_BLOCK); /* main, and so each helper at its start */
    struct helper hs[2];
    for (int i = 0; i < 2; i++) {
        pipe(hs[i].cmd);
        pipe(hs[i].done);
        hs[i].pending_seen = false;
        pthread_create(&hs[i].t, NULL, helper_main, &hs[i]);
    }
    step(&hs[0], STEP_PENDING); /* both are up and have their tids */
    step(&hs[1], STEP_PENDING);

    /* Helper 1 alone does not block it, and waits in read. */
    step(&hs[1], STEP_UNBLOCK);
    kill(getpid(), SIGUSR1);
    wait_taken(1);
    uc_val("kill: taken by the one not blocking", "%s %d", who(hs, 2),
           took_count);
    step(&hs[1], STEP_BLOCK);

    /* All block it: it stays pending for the process, seen by all. */
    kill(getpid(), SIGUSR1);
    uc_val("all block: pending in main", "%d", usr1_pending());
    step(&hs[0], STEP_PENDING);
    uc_val("and in helper 0", "%d", hs[0].pending_seen);
    char path[96];
    task_path(path, sizeof path, getpid(), hs[0].tid, "status");
    uc_val("status ShdPnd has it, SigPnd not", "%d %d",
           (status_hex(path, "ShdPnd") & SIGUSR1_MASK) != 0,
           (status_hex(path, "SigPnd") & SIGUSR1_MASK) != 0);
    uc_val("no handler yet", "%d", took_count);
    step(&hs[0], STEP_UNBLOCK); /* its return to user mode takes it */
    wait_taken(2);
    uc_val("unblocking thread takes it", "%s %d", who(hs, 2), took_count);
    uc_val("nothing pending after", "%d", usr1_pending());
    step(&hs[0], STEP_BLOCK);

    /* A thread-directed one stays with its thread. */
    syscall(SYS_tgkill, getpid(), hs[1].tid, SIGUSR1);
    step(&hs[0], STEP_PENDING);
    uc_val("tgkill: not pending in helper 0", "%d", hs[0].pending_seen);
    task_path(path, sizeof path, getpid(), hs[1].tid, "status");
    uc_val("helper 1 SigPnd has it", "%d",
           (status_hex(path, "SigPnd") & SIGUSR1_MASK) != 0);
    step(&hs[0], STEP_UNBLOCK);
    uc_val("helper 0 unblocking takes nothing", "%d", took_count);
    step(&hs[0], STEP_BLOCK);
    step(&hs[1], STEP_UNBLOCK);
    wait_taken(3);
    uc_val("helper 1 takes its own", "%s %d", who(hs, 2), took_count);
    step(&hs[1], STEP_BLOCK);

    /* Pending for the process, main unblocks. */
    kill(getpid(), SIGUSR1);
    block_usr1(SIG_UNBLOCK);
    wait_taken(4);
    uc_val("main unblocking takes it", "%s %d", who(hs, 2), took_count);

    for (int i = 0; i < 2; i++) {
        step(&hs[i], STEP_END);
        pthread_join(hs[i].t, NULL);
        close(hs[i].cmd[0]);
        close(hs[i].cmd[1]);
        close(hs[i].done[0]);
        close(hs[i].done[1]);
    }
    signal(SIGUSR1, SIG_DFL);
}

/* A fatal signal pending for a process whose threads all block it kills
 * only when one unblocks it. */
static void *unblock_later(void *arg)
{
    int *fd = arg;
    char c;
    read(fd[0], &c, 1);
    block_usr1(SIG_UNBLOCK);
    for (;;)
        pause();
    return NULL;
}

static void case_fatal_pending(void)
{
    int fd[2];
    pipe(fd);
    uc_flush();
    pid_t pid = fork();
    if (pid == 0) {
        block_usr1(SIG_BLOCK);
        pthread_t t;
        pthread_create(&t, NULL, unblock_later, fd);
        kill(getpid(), SIGUSR1);
        if (!usr1_pending())
            _exit(3);
        write(fd[1], "g", 1);
        for (;;)
            pause();
    }
    int st;
    waitpid(pid, &st, 0);
    uc_status("fatal once a thread unblocks it", st);
    close(fd[0]);
    close(fd[1]);
}

#define HOLD_THREADS 3

/* `test_thread_tasks RESULT hold`: 1 + HOLD_THREADS threads that wait for
 * ever, for tests/system/test_linux_shells.py to list with `ps -T`. */
static void hold_threads(void)
{
    pthread_t t;
    for (int i = 0; i < HOLD_THREADS; i++)
        pthread_create(&t, NULL, idle, NULL);
    printf("holding %d threads\n", HOLD_THREADS + 1);
    fflush(stdout);
    for (;;)
        pause();
}

int main(int argc, char **argv)
{
    if (argc > 2 && strcmp(argv[2], "hold") == 0)
        hold_threads();
    uc_open(argc, argv);
    case_listing();
    case_stopped();
    case_routing();
    case_fatal_pending();
    return uc_close();
}
