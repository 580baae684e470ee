/*
 * Differential test: job control on a terminal (SIGTTIN, SIGTTOU, ctrl-z,
 * orphaned groups: EIO, and SIGHUP for a stopped one) and SIGCHLD set to
 * SIG_IGN.
 *
 * Runs with descriptors 0-2 on a terminal, as test_terminal does: Ember's
 * console, or on Linux a pseudo-terminal made by tests/user/run_host.py,
 * which types ctrl-z when the program writes "READY susp". The program
 * makes itself a session leader with the terminal (on Linux it already
 * is), takes the foreground and ignores SIGTTOU, as a shell does; each case
 * is a child in a new process group, so in the background, and the parent
 * reports how it stopped or ended (waitpid with WUNTRACED). Results go to
 * the file named by argv[1].
 *
 * Portable: user program (musl-gcc -static), also built for the host run.
 * See: tests/user/README.md, docs/tty.md
 */
#include <fcntl.h>
#include <poll.h>
#include <stdbool.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include "ucheck.h"

#define WAIT_STEPS  5000  /* 1 ms each: a grandchild's wait for its parent */
#define HUP_WAIT_MS 30000 /* a bound on a hang, not a timing check */

static volatile sig_atomic_t handled;

static void on_signal(int sig)
{
    handled = sig;
}

/* What a case's child returns as its exit code: 0 or the errno. */
static int code(long r)
{
    return r < 0 ? errno : 0;
}

/* Runs fn in a background child (its own group); says how it stopped or
 * ended, then kills it if it is stopped. */
static void bg_case(const char *name, int (*fn)(void))
{
    int st = 0;
    uc_flush();
    pid_t pid = fork();
    if (pid == 0) {
        setpgid(0, 0);
        signal(SIGTTOU, SIG_DFL);
        _exit(fn());
    }
    setpgid(pid, pid);
    if (waitpid(pid, &st, WUNTRACED) != pid) {
        uc_ret(name, -1);
        return;
    }
    if (WIFSTOPPED(st)) {
        uc_val(name, "stopped by %d", WSTOPSIG(st));
        kill(pid, SIGKILL);
        waitpid(pid, &st, 0);
    } else if (WIFEXITED(st)) {
        uc_val(name, "exit %s",
               WEXITSTATUS(st) ? uc_errname(WEXITSTATUS(st)) : "0");
    } else {
        uc_status(name, st);
    }
}

static int read_tty(void)
{
    char c;
    return code(read(0, &c, 1));
}

static int read_tty_ignored(void)
{
    signal(SIGTTIN, SIG_IGN);
    return read_tty();
}

static int read_tty_blocked(void)
{
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTTIN);
    sigprocmask(SIG_BLOCK, &set, NULL);
    return read_tty();
}

/* A handler without SA_RESTART: the read fails with EINTR after it. */
static int read_tty_handled(void)
{
    struct sigaction sa = {.sa_handler = on_signal};
    sigaction(SIGTTIN, &sa, NULL);
    int r = read_tty();
    return handled == SIGTTIN ? r : 99;
}

static int write_tty(void)
{
    return code(write(1, ".\r\n", 3));
}

static int write_tty_ignored(void)
{
    signal(SIGTTOU, SIG_IGN);
    return write_tty();
}

static int set_attr(void)
{
    struct termios t;
    tcgetattr(0, &t);
    return code(tcsetattr(0, TCSANOW, &t));
}

static int set_attr_ignored(void)
{
    signal(SIGTTOU, SIG_IGN);
    return set_attr();
}

static int set_pgrp(void)
{
    return code(tcsetpgrp(0, getpgrp()));
}

static int set_pgrp_ignored(void)
{
    signal(SIGTTOU, SIG_IGN);
    int r = set_pgrp();
    return r ? r : (tcgetpgrp(0) == getpgrp() ? 0 : 98);
}

static int flush(void)
{
    return code(tcflush(0, TCIFLUSH));
}

static int get_attr(void)
{
    struct termios t;
    return code(tcgetattr(0, &t)); /* reading the settings is allowed */
}

/* ctrl-z typed while this job has the terminal: it stops with SIGTSTP. */
static int suspend_me(void)
{
    signal(SIGTTOU, SIG_IGN);
    tcsetpgrp(0, getpgrp()); /* as a shell's child takes the terminal */
    signal(SIGTTOU, SIG_DFL);
    write(1, "READY susp\r\n", 12);
    char c;
    for (;;)
        if (read(0, &c, 1) < 0 && errno != EINTR)
            return errno;
}

/* The TOSTOP flag on or off for the whole terminal. */
static void tostop(bool on)
{
    struct termios t;
    tcgetattr(0, &t);
    if (on)
        t.c_lflag |= TOSTOP;
    else
        t.c_lflag &= ~(tcflag_t)TOSTOP;
    tcsetattr(0, TCSANOW, &t);
}

static void background_cases(void)
{
    bg_case("bg read", read_tty);
    bg_case("bg read, SIGTTIN ignored", read_tty_ignored);
    bg_case("bg read, SIGTTIN blocked", read_tty_blocked);
    bg_case("bg read, SIGTTIN handled", read_tty_handled);
    bg_case("bg write", write_tty);
    tostop(true);
    bg_case("bg write, TOSTOP", write_tty);
    bg_case("bg write, TOSTOP, SIGTTOU ignored", write_tty_ignored);
    tostop(false);
    bg_case("bg tcsetattr", set_attr);
    bg_case("bg tcsetattr, SIGTTOU ignored", set_attr_ignored);
    bg_case("bg tcgetattr", get_attr);
    bg_case("bg tcflush", flush);
    bg_case("bg tcsetpgrp", set_pgrp);
    bg_case("bg tcsetpgrp, SIGTTOU ignored", set_pgrp_ignored);
    uc_ret("parent takes the terminal back", tcsetpgrp(0, getpgrp()));
    uc_val("foreground is the parent", "%d", tcgetpgrp(0) == getpgrp());
}

static void suspend_case(void)
{
    int st = 0;
    uc_flush();
    pid_t pid = fork();
    if (pid == 0) {
        setpgid(0, 0);
        _exit(suspend_me());
    }
    setpgid(pid, pid);
    pid_t w = waitpid(pid, &st, WUNTRACED);
    uc_val("ctrl-z stops the foreground job", "%d %d",
           w == pid && WIFSTOPPED(st), WIFSTOPPED(st) ? WSTOPSIG(st) : 0);
    uc_ret("parent takes the terminal back", tcsetpgrp(0, getpgrp()));
    write(1, "\r\n", 2); /* after the echoed ^Z, as a shell does */
    /* Continued in the background, its read stops it again: SIGTTIN. */
    kill(-pid, SIGCONT);
    w = waitpid(pid, &st, WUNTRACED);
    uc_val("continued in the background, it reads", "%d %d",
           w == pid && WIFSTOPPED(st), WIFSTOPPED(st) ? WSTOPSIG(st) : 0);
    kill(pid, SIGKILL);
    waitpid(pid, &st, 0);
    uc_status("killed", st);
}

/* A group whose only link to the session is gone: EIO, not a stop. */
static void orphan_case(void)
{
    int fds[2];
    pipe(fds);
    uc_flush();
    pid_t pid = fork();
    if (pid == 0) {
        setpgid(0, 0);
        pid_t parent = getpid();
        if (fork() == 0) {
            for (int i = 0; i < WAIT_STEPS && getppid() == parent; i++)
                usleep(1000);
            char c;
            int r = (int)read(0, &c, 1);
            int e = r < 0 ? errno : 0;
            write(fds[1], &e, sizeof e);
            _exit(0);
        }
        _exit(0); /* the grandchild's group is orphaned now */
    }
    close(fds[1]);
    int st, e = -1;
    waitpid(pid, &st, 0);
    read(fds[0], &e, sizeof e);
    close(fds[0]);
    uc_val("orphaned group reads", "%s", e ? uc_errname(e) : "0");
}

static int hup_fd; /* where the orphan's SIGHUP handler reports */

static void on_hup(int sig)
{
    char c = sig == SIGHUP ? 'H' : '?';
    write(hup_fd, &c, 1);
    _exit(0);
}

/* A stopped group that its last link leaves orphaned: SIGHUP, SIGCONT. */
static void orphan_stopped_case(void)
{
    int fds[2];
    pipe(fds);
    hup_fd = fds[1];
    uc_flush();
    pid_t pid = fork();
    if (pid == 0) {
        setpgid(0, 0);
        pid_t gc = fork();
        if (gc == 0) {
            signal(SIGHUP, on_hup);
            raise(SIGSTOP);
            _exit(1); /* continued without a hangup */
        }
        int st;
        waitpid(gc, &st, WUNTRACED); /* stopped: now leave it orphaned */
        _exit(0);
    }
    close(fds[1]);
    int st;
    waitpid(pid, &st, 0);
    char c = 'x'; /* nobody hung it up: it stays stopped, holding fds[1] */
    struct pollfd pfd = {.fd = fds[0], .events = POLLIN};
    if (poll(&pfd, 1, HUP_WAIT_MS) == 1)
        read(fds[0], &c, 1);
    close(fds[0]);
    uc_val("orphaned stopped group gets SIGHUP", "%c", c);
}

static void sigchld_cases(void)
{
    signal(SIGCHLD, SIG_IGN);
    uc_flush();
    pid_t pid = fork();
    if (pid == 0)
        _exit(3);
    int st;
    errno = 0;
    uc_ret("SIGCHLD ignored: wait finds no zombie", waitpid(-1, &st, 0));
    signal(SIGCHLD, SIG_DFL);
    struct sigaction sa = {.sa_handler = SIG_DFL, .sa_flags = SA_NOCLDWAIT};
    sigaction(SIGCHLD, &sa, NULL);
    uc_flush();
    pid = fork();
    if (pid == 0)
        _exit(4);
    uc_ret("SA_NOCLDWAIT: wait finds no zombie", waitpid(-1, &st, 0));
    sa.sa_flags = 0;
    sigaction(SIGCHLD, &sa, NULL);
    uc_flush();
    pid = fork();
    if (pid == 0)
        _exit(5);
    waitpid(pid, &st, 0);
    uc_status("SIGCHLD default: wait gets the status", st);
}

int main(int argc, char **argv)
{
    uc_open(argc, argv);
    setsid(); /* Ember: init's child; Linux: already a session leader */
    ioctl(0, TIOCSCTTY, 0);
    signal(SIGTTOU, SIG_IGN);
    tcsetpgrp(0, getpgrp());
    uc_val("isatty 0", "%d", isatty(0));
    uc_val("foreground is this process's group", "%d",
           tcgetpgrp(0) == getpgrp());
    background_cases();
    suspend_case();
    orphan_case();
    orphan_stopped_case();
    sigchld_cases();
    return uc_close();
}
