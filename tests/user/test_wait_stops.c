/*
 * Differential test: what a shell's job control sees of its children
 * without a terminal - waitid and wait4 with WUNTRACED, WCONTINUED, WNOHANG
 * and WNOWAIT, the siginfo they and SIGCHLD carry after SIGSTOP, SIGTSTP
 * and SIGCONT, stopping and continuing a whole process group, and the
 * rules of setpgid, getpgid, getsid and setsid.
 *
 * Every wait for a stop or a continue blocks (never WNOHANG, which would
 * race the child's own report on any system); WNOHANG is used only where
 * the answer does not depend on timing: a child that is still running, or
 * a report already taken. Pids are printed only as "is it the child".
 *
 * See: tests/user/README.md, docs/signals.md
 */
#include <signal.h>
#include <stdbool.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ucheck.h"

#define GROUP_SIZE 3

/* A child that waits for signals until it is killed. */
static pid_t idle_child(void)
{
    uc_flush();
    pid_t pid = fork();
    if (pid == 0) {
        for (;;)
            pause();
    }
    return pid;
}

/* waitid's result and siginfo as one line: code, status, is-it-pid. */
static void report(const char *name, int r, const siginfo_t *si, pid_t pid)
{
    if (r < 0) {
        uc_ret(name, r);
        return;
    }
    uc_val(name, "ret %d signo %d code %d status %d pid %s", r, si->si_signo,
           si->si_code, si->si_status,
           si->si_pid == pid ? "child"
           : si->si_pid == 0 ? "0"
                             : "other");
}

static int waitid_on(idtype_t type, id_t id, siginfo_t *si, int options)
{
    memset(si, 0x5a, sizeof *si); /* what the call does not write shows */
    return waitid(type, id, si, options);
}

static void case_arguments(void)
{
    siginfo_t si;
    uc_ret("waitid no options", waitid(P_ALL, 0, &si, 0));
    uc_ret("waitid bad options", waitid(P_ALL, 0, &si, WEXITED | 0x100));
    uc_ret("waitid bad idtype", waitid((idtype_t)7, 0, &si, WEXITED));
    uc_ret("waitid P_PID 0", waitid(P_PID, 0, &si, WEXITED));
    uc_ret("waitid P_PGID -1", waitid(P_PGID, (id_t)-1, &si, WEXITED));
    uc_ret("waitid no children", waitid(P_ALL, 0, &si, WEXITED));
    uc_ret("wait4 WEXITED is not its option", wait4(-1, NULL, WEXITED, NULL));
}

static void case_exits(void)
{
    siginfo_t si;
    uc_flush();
    pid_t pid = fork();
    if (pid == 0)
        _exit(7);
    report("exit, WNOWAIT", waitid_on(P_PID, pid, &si, WEXITED | WNOWAIT), &si,
           pid);
    report("exit, again", waitid_on(P_PID, pid, &si, WEXITED), &si, pid);
    report("exit, reaped", waitid_on(P_PID, pid, &si, WEXITED), &si, pid);

    pid = idle_child();
    report("running, WNOHANG", waitid_on(P_PID, pid, &si, WEXITED | WNOHANG),
           &si, pid);
    kill(pid, SIGTERM);
    report("killed", waitid_on(P_ALL, 0, &si, WEXITED), &si, pid);

    pid = idle_child();
    kill(pid, SIGKILL);
    int st;
    uc_ret("wait4 of a killed child is it", wait4(pid, &st, 0, NULL) == pid);
    uc_status("and its status", st);
}

static void case_stop_continue(void)
{
    siginfo_t si;
    int st;
    pid_t pid = idle_child();
    kill(pid, SIGSTOP);
    report("stopped", waitid_on(P_PID, pid, &si, WSTOPPED), &si, pid);
    report("stop taken", waitid_on(P_PID, pid, &si, WSTOPPED | WNOHANG), &si,
           pid);
    report("not ended", waitid_on(P_PID, pid, &si, WEXITED | WNOHANG), &si,
           pid);
    kill(pid, SIGCONT);
    report("continued", waitid_on(P_PID, pid, &si, WCONTINUED), &si, pid);
    uc_ret("WUNTRACED once running", waitpid(pid, &st, WUNTRACED | WNOHANG));

    kill(pid, SIGTSTP);
    report("stopped by SIGTSTP, WNOWAIT",
           waitid_on(P_PID, pid, &si, WSTOPPED | WNOWAIT), &si, pid);
    report("still there", waitid_on(P_PID, pid, &si, WSTOPPED), &si, pid);
    kill(pid, SIGCONT);
    uc_ret("wait4 WCONTINUED is the child",
           waitpid(pid, &st, WCONTINUED) == pid);
    uc_val("WIFCONTINUED", "%d", WIFCONTINUED(st));

    kill(pid, SIGSTOP);
    uc_ret("wait4 WUNTRACED is the child", waitpid(pid, &st, WUNTRACED) == pid);
    uc_val("WIFSTOPPED, WSTOPSIG", "%d %d", WIFSTOPPED(st), WSTOPSIG(st));
    kill(pid, SIGKILL); /* a stopped process still dies of it */
    uc_ret("killed while stopped", waitpid(pid, &st, 0) == pid);
    uc_status("its status", st);
}

static volatile sig_atomic_t chld_code, chld_status, chld_is_child;
static volatile pid_t chld_expect;

static void on_chld(int sig, siginfo_t *si, void *uc)
{
    (void)sig;
    (void)uc;
    chld_code = si->si_code;
    chld_status = si->si_status;
    chld_is_child = si->si_pid == chld_expect;
}

/* Sends sig to pid and waits (sigsuspend) for the SIGCHLD it causes. */
static void chld_after(const char *name, pid_t pid, int sig, int wait_opts)
{
    sigset_t none;
    sigemptyset(&none);
    chld_code = 0;
    kill(pid, sig);
    int st;
    waitpid(pid, &st, wait_opts); /* the report, so none is left over */
    while (!chld_code)
        sigsuspend(&none);
    uc_val(name, "code %d status %d child %d", chld_code, chld_status,
           chld_is_child);
}

static void case_sigchld(void)
{
    struct sigaction sa = {.sa_sigaction = on_chld, .sa_flags = SA_SIGINFO};
    sigemptyset(&sa.sa_mask);
    sigaction(SIGCHLD, &sa, NULL);
    sigset_t chld;
    sigemptyset(&chld);
    sigaddset(&chld, SIGCHLD);
    sigprocmask(SIG_BLOCK, &chld, NULL);

    pid_t pid = idle_child();
    chld_expect = pid;
    chld_after("SIGCHLD for SIGTSTP", pid, SIGTSTP, WUNTRACED);
    chld_after("SIGCHLD for SIGCONT", pid, SIGCONT, WCONTINUED);
    chld_after("SIGCHLD for SIGSTOP", pid, SIGSTOP, WUNTRACED);
    chld_after("SIGCHLD for SIGKILL", pid, SIGKILL, 0);

    /* SA_NOCLDSTOP: a stop and a continue send none, an end still does. */
    sa.sa_flags |= SA_NOCLDSTOP;
    sigaction(SIGCHLD, &sa, NULL);
    pid = idle_child();
    chld_expect = pid;
    int st;
    kill(pid, SIGSTOP);
    waitpid(pid, &st, WUNTRACED);
    kill(pid, SIGCONT);
    waitpid(pid, &st, WCONTINUED);
    sigset_t pending;
    sigpending(&pending);
    uc_val("SA_NOCLDSTOP: no SIGCHLD pending", "%d",
           !sigismember(&pending, SIGCHLD));
    chld_after("SA_NOCLDSTOP: the end sends it", pid, SIGTERM, 0);

    sigprocmask(SIG_UNBLOCK, &chld, NULL);
    signal(SIGCHLD, SIG_DFL);
}

/* A group of GROUP_SIZE idle children: kill(-pgid) stops and continues
 * them all, and each reports once. */
static void case_group(void)
{
    pid_t kids[GROUP_SIZE];
    pid_t pgid = 0;
    for (int i = 0; i < GROUP_SIZE; i++) {
        kids[i] = idle_child();
        if (i == 0)
            pgid = kids[0];
        setpgid(kids[i], pgid); /* the shell's side of the race */
    }
    for (int i = 0; i < GROUP_SIZE; i++)
        uc_ret("member's group is the leader", getpgid(kids[i]) == pgid);
    uc_ret("kill the group SIGTSTP", kill(-pgid, SIGTSTP));
    int stopped = 0, st;
    for (int i = 0; i < GROUP_SIZE; i++) {
        pid_t w = waitpid(-pgid, &st, WUNTRACED);
        stopped += w > 0 && WIFSTOPPED(st) && WSTOPSIG(st) == SIGTSTP;
    }
    uc_val("members stopped", "%d", stopped);
    uc_ret("no more reports", waitpid(-pgid, &st, WUNTRACED | WNOHANG));
    uc_ret("kill the group SIGCONT", kill(-pgid, SIGCONT));
    siginfo_t si;
    int continued = 0;
    for (int i = 0; i < GROUP_SIZE; i++) {
        int r = waitid_on(P_PGID, (id_t)pgid, &si, WCONTINUED);
        continued += r == 0 && si.si_code == CLD_CONTINUED;
    }
    uc_val("members continued", "%d", continued);
    uc_ret("kill the group SIGKILL", kill(-pgid, SIGKILL));
    int killed = 0;
    while (waitpid(-pgid, &st, 0) > 0)
        killed += WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL;
    uc_val("members killed", "%d", killed);
    uc_ret("kill an empty group", kill(-pgid, SIGCONT));
}

static int child_session(void)
{
    pid_t me = getpid();
    if (setsid() != me)
        return 1;
    if (getsid(0) != me || getpgid(0) != me)
        return 2;
    if (setpgid(0, 0) != -1 || errno != EPERM)
        return 3; /* a session leader cannot move */
    if (setsid() != -1 || errno != EPERM)
        return 4; /* nor start another */
    return 0;
}

static void case_groups(void)
{
    uc_ret("getsid(0) is the caller's", getsid(0) == getsid(getpid()));
    uc_ret("getpgid(0) is getpgrp", getpgid(0) == getpgrp());
    uc_ret("getpgid of nobody", getpgid(999999));
    uc_ret("getsid of nobody", getsid(999999));
    uc_ret("setpgid negative", setpgid(0, -1));
    uc_ret("setpgid of nobody", setpgid(999999, 0));
    uc_ret("setpgid of a non-child", setpgid(1, 0) < 0 ? -1 : 0);

    pid_t pid = idle_child();
    uc_ret("child starts in our group", getpgid(pid) == getpgrp());
    uc_ret("child shares our session", getsid(pid) == getsid(0));
    uc_ret("setpgid child to its own", setpgid(pid, pid));
    uc_ret("now its own group", getpgid(pid) == pid);
    uc_ret("setpgid child back", setpgid(pid, getpgrp()));
    uc_ret("setpgid to a group not there", setpgid(pid, 999999));
    kill(pid, SIGKILL);
    waitpid(pid, NULL, 0);

    uc_flush();
    pid = fork();
    if (pid == 0)
        _exit(child_session());
    int st;
    waitpid(pid, &st, 0);
    uc_status("setsid rules in a child", st);
}

int main(int argc, char **argv)
{
    uc_open(argc, argv);
    setpgid(0, 0); /* our own group, whatever ran us */
    case_arguments();
    case_exits();
    case_stop_continue();
    case_sigchld();
    case_group();
    case_groups();
    return uc_close();
}
