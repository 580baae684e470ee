/*
 * Differential test: processes, exec, wait4's status, signals' defaults,
 * process groups and sessions.
 *
 * Children report through how they end: wait4's status, printed as "exit N"
 * or "signal N" (the core-dump bit is left out: it depends on ulimit -c),
 * plus the raw word for one exit and one signal to pin down Linux's
 * encoding. For exec the program runs itself again (argv[0]) in a mode
 * named by argv[1] ("--exit 33", "--fdcheck 4 5"...), so the suite needs no
 * other program and no shell, which Ember will not have at first. Signal
 * handlers are not used: Ember supports SIG_DFL and SIG_IGN only, for now.
 * Pids are printed only as "~ " lines. Also linked as static-PIE.
 *
 * Portable: user program (musl-gcc -static and static-PIE).
 * See: tests/user/README.md
 */
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdint.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "ucheck.h"

#define NO_SUCH_PID 0x3ffffff0 /* above Linux's largest pid_max (2^22) */

extern char **environ;
static const char *self_path; /* argv[0] */

/* ---- modes the program is re-executed in -------------------------------- */

/* The "--fdcheck A B" mode: bit 1 if A was closed by exec, bit 0 if B
 * is still open. */
static int mode_fdcheck(int a, int b)
{
    int a_closed = fcntl(a, F_GETFD) < 0 && errno == EBADF;
    int b_open = fcntl(b, F_GETFD) >= 0;
    return a_closed << 1 | b_open;
}

/* The "--sigcheck" mode: bit 1 if SIGTERM is still ignored, bit 0 if
 * SIGUSR1 is still blocked. */
static int mode_sigcheck(void)
{
    struct sigaction sa;
    sigset_t set;
    sigaction(SIGTERM, NULL, &sa);
    sigprocmask(SIG_BLOCK, NULL, &set);
    return (sa.sa_handler == SIG_IGN) << 1 | sigismember(&set, SIGUSR1);
}

/* Runs a mode and exits, or returns if argv names no mode. */
static void run_mode(int argc, char **argv)
{
    if (argc < 2 || strncmp(argv[1], "--", 2) != 0)
        return;
    if (!strcmp(argv[1], "--exit") && argc == 3)
        exit(atoi(argv[2]));
    if (!strcmp(argv[1], "--args"))
        exit(argc * 10 + (int)strlen(argv[argc - 1]));
    if (!strcmp(argv[1], "--script")) /* argv: self --script path x */
        exit(argc * 10 + (argc == 4 && strstr(argv[2], "script.sh") &&
                          !strcmp(argv[3], "x")));
    if (!strcmp(argv[1], "--fdcheck") && argc == 4)
        exit(mode_fdcheck(atoi(argv[2]), atoi(argv[3])));
    if (!strcmp(argv[1], "--sigcheck"))
        exit(mode_sigcheck());
    exit(99);
}

/* ---- helpers ------------------------------------------------------------ */

/* Forks, runs self with the given arguments, reports the status. */
static void exec_self(const char *name, char *const args[])
{
    char *argv[8] = {(char *)uc_self};
    for (int i = 0; args[i] && i < 6; i++)
        argv[i + 1] = args[i];
    uc_flush();
    pid_t pid = fork();
    if (pid == 0) {
        execve(uc_self, argv, environ);
        _exit(98);
    }
    int st = 0;
    waitpid(pid, &st, 0);
    uc_status(name, st);
}

/* Forks a child that waits for a signal, sends it sig, reports the status. */
static void kill_child(const char *name, int sig)
{
    uc_flush();
    pid_t pid = fork();
    if (pid == 0) {
        for (;;)
            pause();
    }
    kill(pid, sig);
    int st = 0;
    waitpid(pid, &st, 0);
    uc_status(name, st);
}

static int the_sig;
static void raise_it(void)
{
    raise(the_sig);
    _exit(7); /* reached only if the signal's default is to ignore it */
}

static void raise_in_child(const char *name, int sig)
{
    the_sig = sig;
    uc_child(name, raise_it);
}

/* ---- exit status and wait4 ---------------------------------------------- */

static void exits_and_waits(void)
{
    uc_val("getpid positive", "%d", getpid() > 0);
    uc_note("pid %d ppid %d", getpid(), getppid());

    uc_flush();
    pid_t pid = fork();
    if (pid == 0)
        _exit(42);
    int st = 0;
    pid_t got = wait4(pid, &st, 0, NULL);
    uc_val("wait4 returns the child", "%d", got == pid);
    uc_val("raw status of exit 42", "%#x", st);
    uc_val("WIFEXITED WEXITSTATUS", "%d %d", WIFEXITED(st), WEXITSTATUS(st));

    uc_flush();
    pid = fork();
    if (pid == 0)
        exit(256 + 7);
    waitpid(pid, &st, 0);
    uc_status("exit 263 keeps low byte", st);

    uc_flush();
    pid = fork();
    if (pid == 0) {
        pause();
        _exit(0);
    }
    uc_ret("WNOHANG while running", waitpid(pid, &st, WNOHANG));
    kill(pid, SIGKILL);
    waitpid(pid, &st, 0);
    uc_val("raw status of SIGKILL", "%#x", st & 0x7f);
    uc_ret("wait4 no children", wait4(-1, &st, 0, NULL));
    uc_ret("waitpid not my child", waitpid(getppid(), &st, 0));
    uc_ret("WNOHANG no children", waitpid(-1, &st, WNOHANG));

    /* A zombie stays until it is reaped. */
    uc_flush();
    pid = fork();
    if (pid == 0)
        _exit(3);
    usleep(50000);
    uc_val("zombie reaped later", "%d", waitpid(pid, &st, 0) == pid);
    uc_status("zombie status", st);

    uc_flush();
    pid = vfork();
    if (pid == 0)
        _exit(9);
    waitpid(pid, &st, 0);
    uc_status("vfork child", st);
}

/* exit() flushes stdio and runs atexit handlers; _exit() does neither. */
static int atexit_pipe;
static void say_bye(void)
{
    write(atexit_pipe, "bye", 3);
}

static void exit_vs__exit(void)
{
    char b[8] = {0};
    int p[2];
    for (int use_exit = 1; use_exit >= 0; use_exit--) {
        pipe(p);
        uc_flush();
        pid_t pid = fork();
        if (pid == 0) {
            close(p[0]);
            atexit_pipe = p[1];
            atexit(say_bye);
            if (use_exit)
                exit(0);
            _exit(0);
        }
        close(p[1]);
        memset(b, 0, sizeof b);
        ssize_t n = read(p[0], b, sizeof b - 1);
        close(p[0]);
        waitpid(pid, NULL, 0);
        uc_val(use_exit ? "exit runs atexit" : "_exit skips atexit", "%zd %s",
               n, b);
    }
}

/* ---- exec --------------------------------------------------------------- */

static int write_file(const char *name, const char *text, mode_t mode)
{
    int fd = open(name, O_WRONLY | O_CREAT | O_TRUNC, mode);
    if (fd < 0)
        return -1;
    write(fd, text, strlen(text));
    return close(fd);
}

static void exec_cases(void)
{
    char *none[] = {NULL};
    char *argv0[] = {"x", NULL};

    exec_self("exec self exit 33", (char *[]){"--exit", "33", NULL});
    exec_self("exec with args", (char *[]){"--args", "a", "bb", "ccc", NULL});
    umask(022);
    uc_ret("execve missing", execve("./missing", argv0, none));
    mkdir("adir", 0755);
    uc_ret("execve directory", execve("./adir", argv0, none));
    write_file("junk", "this is not a program\n", 0755);
    uc_ret("execve junk", execve("./junk", argv0, none));
    write_file("empty", "", 0755);
    uc_ret("execve empty file", execve("./empty", argv0, none));
    uc_ret("execve path through file", execve("./junk/x", argv0, none));

    /* A script whose #! line names this program with one argument. */
    char line[1024];
    snprintf(line, sizeof line, "#!%s --script\n", uc_self);
    write_file("script.sh", line, 0755);
    uc_flush();
    pid_t pid = fork();
    if (pid == 0) {
        execve("./script.sh", (char *[]){"script.sh", "x", NULL}, environ);
        _exit(98);
    }
    int st;
    waitpid(pid, &st, 0);
    uc_status("shebang script runs interpreter", st);
    write_file("badscript.sh", "#!/no/such/interpreter\n", 0755);
    uc_ret("shebang missing interpreter",
           execve("./badscript.sh", argv0, none));

    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    char *sargv[] = {(char *)uc_self, "--exit", "12", NULL};
    uc_flush();
    int r = posix_spawn(&pid, uc_self, &fa, NULL, sargv, environ);
    uc_ret("posix_spawn", r == 0 ? 0 : -1);
    waitpid(pid, &st, 0);
    uc_status("posix_spawn child", st);
    posix_spawn_file_actions_destroy(&fa);
}

/* Descriptors with close-on-exec go; dispositions SIG_IGN and the mask stay. */
static void exec_inheritance(void)
{
    int a = open(".", O_RDONLY | O_CLOEXEC);
    int b = open(".", O_RDONLY);
    char sa[16], sb[16];
    snprintf(sa, sizeof sa, "%d", a);
    snprintf(sb, sizeof sb, "%d", b);
    exec_self("close-on-exec honoured", (char *[]){"--fdcheck", sa, sb, NULL});
    close(a);
    close(b);

    sigset_t set, old;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR1);
    signal(SIGTERM, SIG_IGN);
    sigprocmask(SIG_BLOCK, &set, &old);
    exec_self("SIG_IGN and mask survive exec", (char *[]){"--sigcheck", NULL});
    sigprocmask(SIG_SETMASK, &old, NULL);
    signal(SIGTERM, SIG_DFL);
}

/* ---- signals' default actions ------------------------------------------- */

static void null_write(void)
{
    *(volatile int *)0 = 1;
}
static void divide_by_zero(void)
{
    volatile int zero = 0, one = 1;
    volatile int x = one / zero;
    (void)x;
}
static void undefined_opcode(void)
{
    __builtin_trap();
}
static void breakpoint(void)
{
    __asm__ volatile("int3");
}
static void do_abort(void)
{
    abort();
}
static void ignore_term(void)
{
    signal(SIGTERM, SIG_IGN);
    raise(SIGTERM);
    _exit(5);
}
static void block_then_unblock(void)
{
    sigset_t set, pending;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR1);
    sigprocmask(SIG_BLOCK, &set, NULL);
    raise(SIGUSR1);
    sigpending(&pending);
    if (!sigismember(&pending, SIGUSR1))
        _exit(1);
    sigprocmask(SIG_UNBLOCK, &set, NULL);
    _exit(2); /* not reached: the pending signal acts on unblock */
}

static void signal_defaults(void)
{
    kill_child("SIGKILL", SIGKILL);
    kill_child("SIGTERM", SIGTERM);
    kill_child("SIGINT", SIGINT);
    kill_child("SIGHUP", SIGHUP);
    kill_child("SIGQUIT", SIGQUIT);
    kill_child("SIGUSR1", SIGUSR1);
    kill_child("SIGUSR2", SIGUSR2);
    kill_child("SIGALRM", SIGALRM);
    kill_child("SIGPIPE", SIGPIPE);
    kill_child("SIGRTMIN", SIGRTMIN);
    raise_in_child("raise SIGCHLD ignored", SIGCHLD);
    raise_in_child("raise SIGWINCH ignored", SIGWINCH);
    raise_in_child("raise SIGURG ignored", SIGURG);
    raise_in_child("raise SIGTERM", SIGTERM);
    uc_child("null pointer write", null_write);
    uc_child("divide by zero", divide_by_zero);
    uc_child("undefined opcode", undefined_opcode);
    uc_child("int3", breakpoint);
    uc_child("abort", do_abort);
    uc_child("SIG_IGN SIGTERM", ignore_term);
    uc_child("blocked signal acts on unblock", block_then_unblock);
    uc_ret("ignore SIGKILL", signal(SIGKILL, SIG_IGN) == SIG_ERR ? -1 : 0);
    struct sigaction sa;
    uc_ret("sigaction query", sigaction(SIGINT, NULL, &sa));
    uc_val("SIGINT default", "%d", sa.sa_handler == SIG_DFL);
    uc_ret("kill bad signal", kill(getpid(), 1000));
    uc_ret("kill no such pid", kill(NO_SUCH_PID, SIGTERM));
    uc_ret("kill self 0", kill(getpid(), 0));
}

/* ---- process groups and sessions ---------------------------------------- */

static void own_group(void)
{
    if (setpgid(0, 0) < 0)
        _exit(10);
    if (getpgrp() != getpid())
        _exit(11);
    _exit(setsid() < 0 && errno == EPERM ? 0 : 12); /* a leader cannot */
}

static void new_session(void)
{
    pid_t sid = setsid();
    if (sid != getpid() || getsid(0) != sid || getpgrp() != sid)
        _exit(20);
    _exit(setpgid(0, 0) < 0 && errno == EPERM ? 0 : 21); /* a leader */
}

/* nice, in a group of its own: kept, inherited by fork, clamped at 19.
 * Only raised, which needs no privilege on Linux. */
static void nice_values(void)
{
    if (setpgid(0, 0) < 0)
        _exit(30);
    errno = 0;
    int n0 = getpriority(PRIO_PROCESS, 0);
    if (errno || n0 > 10)
        _exit(31);
    if (setpriority(PRIO_PROCESS, 0, n0 + 5) < 0 ||
        getpriority(PRIO_PROCESS, getpid()) != n0 + 5)
        _exit(32);
    if (nice(2) != n0 + 7 || getpriority(PRIO_PGRP, 0) != n0 + 7)
        _exit(33);
    if (setpriority(PRIO_PROCESS, 0, 40) < 0 ||
        getpriority(PRIO_PROCESS, 0) != 19)
        _exit(34);
    pid_t pid = fork();
    if (pid == 0)
        _exit(getpriority(PRIO_PROCESS, 0) == 19 ? 0 : 1);
    int st = -1;
    waitpid(pid, &st, 0);
    if (st != 0)
        _exit(35);
    errno = 0;
    if (getpriority(3, 0) != -1 || errno != EINVAL)
        _exit(36);
    errno = 0;
    if (getpriority(PRIO_PROCESS, NO_SUCH_PID) != -1 || errno != ESRCH)
        _exit(37);
    if (setpriority(PRIO_PGRP, NO_SUCH_PID, 1) != -1 || errno != ESRCH)
        _exit(38);
    _exit(0);
}

static void groups(void)
{
    uc_child("getpriority and setpriority", nice_values);
    uc_child("setpgid 0 0 then setsid", own_group);
    uc_child("setsid in child", new_session);
    uc_note("pgrp %d sid %d", getpgrp(), getsid(0));
    uc_val("getpgid(0) is getpgrp", "%d", getpgid(0) == getpgrp());
    /* The name pidof and ps read: the program's file name, then '\n'. */
    char comm[32] = "";
    int fd = open("/proc/self/comm", O_RDONLY);
    ssize_t n = fd >= 0 ? read(fd, comm, sizeof comm - 1) : -1;
    if (fd >= 0)
        close(fd);
    const char *base =
        strrchr(self_path, '/') ? strrchr(self_path, '/') + 1 : self_path;
    uc_val("/proc/self/comm is the file name", "%d",
           n == (ssize_t)strnlen(base, 15) + 1 &&
               strncmp(comm, base, (size_t)n - 1) == 0 && comm[n - 1] == '\n');
    uc_ret("getpgid no such pid", getpgid(NO_SUCH_PID));
    uc_ret("getsid no such pid", getsid(NO_SUCH_PID));

    uc_flush();
    pid_t pid = fork();
    if (pid == 0) {
        for (;;)
            pause();
    }
    uc_ret("setpgid child", setpgid(pid, pid));
    uc_val("child leads its group", "%d", getpgid(pid) == pid);
    uc_ret("kill the group", kill(-pid, SIGTERM));
    int st;
    waitpid(pid, &st, 0);
    uc_status("group member", st);
    uc_ret("setpgid no such pid", setpgid(NO_SUCH_PID, 0));
    uc_ret("setpgid negative", setpgid(0, -1));
}

/* CPU affinity through the raw calls (libc hides getaffinity's count).
 * The host may have several CPUs and Ember has one, so only what holds
 * on both is printed: the size written, a non-empty mask, the errors. */
static void affinity(void)
{
    uint64_t mask = 0, none = 0;
    uc_ret("sched_getaffinity 8 bytes",
           syscall(SYS_sched_getaffinity, 0, sizeof mask, &mask));
    uc_val("the mask names a CPU", "%d", mask != 0);
    uc_ret("sched_getaffinity 4 bytes",
           syscall(SYS_sched_getaffinity, 0, 4, &mask));
    uc_ret("sched_getaffinity 12 bytes",
           syscall(SYS_sched_getaffinity, 0, 12, &mask));
    uc_ret("sched_getaffinity no such pid",
           syscall(SYS_sched_getaffinity, NO_SUCH_PID, sizeof mask, &mask));
    uc_ret("sched_getaffinity bad pointer",
           syscall(SYS_sched_getaffinity, 0, sizeof mask, (void *)16));
    uc_ret("sched_setaffinity own mask",
           syscall(SYS_sched_setaffinity, getpid(), sizeof mask, &mask));
    uc_ret("sched_setaffinity empty mask",
           syscall(SYS_sched_setaffinity, 0, sizeof none, &none));
    uc_ret("sched_setaffinity no such pid",
           syscall(SYS_sched_setaffinity, NO_SUCH_PID, sizeof mask, &mask));
    uc_ret("sched_setaffinity bad pointer",
           syscall(SYS_sched_setaffinity, 0, sizeof mask, (void *)16));
}

int main(int argc, char **argv)
{
    self_path = argv[0];
    run_mode(argc, argv);
    uc_open(argc, argv);
    exits_and_waits();
    exit_vs__exit();
    exec_cases();
    exec_inheritance();
    signal_defaults();
    groups();
    affinity();
    return uc_close();
}
