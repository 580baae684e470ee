/*
 * Signal calls: kill, tkill, tgkill, rt_sigaction (SIG_DFL and SIG_IGN
 * only, for now), rt_sigprocmask and rt_sigpending.
 *
 * Context: task.
 * See: docs/syscalls.md, kernel/proc/signal.h
 */
#include "syscall/handlers.h"

#include <ember/errno.h>
#include <ember/signal.h>

#include "lib/portable.h"
#include "mm/user_copy.h"
#include "proc/process.h"
#include "proc/signal.h"

/* Linux's struct sigaction as the kernel sees it (k_sigaction). */
struct ksigaction {
    uint64_t handler;
    uint64_t flags;
    uint64_t restorer;
    uint64_t mask;
};
_Static_assert(sizeof(struct ksigaction) == 32, "Linux x86_64 k_sigaction");

#define UNBLOCKABLE (SIG_BIT(SIGKILL) | SIG_BIT(SIGSTOP))

static bool valid(int sig)
{
    return sig >= 1 && sig < SIG_COUNT;
}

/* Sends sig to p after the permission and existence checks (sig 0: none). */
static long send(struct process *p, int sig)
{
    if (!p)
        return -ESRCH;
    if (p->zombie)
        return 0; /* exists until reaped; the signal has no effect, as on Linux
                   */
    if (sig)
        signal_post(p, sig);
    return 0;
}

long sys_kill(const struct sysargs *a)
{
    int pid = (int)a->arg[0], sig = (int)a->arg[1];
    if (sig != 0 && !valid(sig))
        return -EINVAL;
    if (pid > 0) {
        proc_lock();
        long r = send(proc_find(pid), sig);
        proc_unlock();
        return r;
    }
    int pgid = pid == 0 ? proc_current()->pgid : -pid;
    if (pid == -1)
        return -EPERM; /* "every process" is not offered */
    if (!proc_pgid_alive(pgid))
        return -ESRCH;
    return sig ? proc_signal_group(pgid, sig) : 0;
}

long sys_tkill(const struct sysargs *a)
{
    int tid = (int)a->arg[0], sig = (int)a->arg[1];
    if (tid <= 0 || (sig != 0 && !valid(sig)))
        return -EINVAL;
    proc_lock();
    long r = send(proc_find(tid), sig);
    proc_unlock();
    return r;
}

long sys_tgkill(const struct sysargs *a)
{
    int tgid = (int)a->arg[0], tid = (int)a->arg[1], sig = (int)a->arg[2];
    if (tgid <= 0 || tid <= 0 || (sig != 0 && !valid(sig)))
        return -EINVAL;
    if (tgid != tid)
        return -ESRCH; /* one thread per process */
    proc_lock();
    long r = send(proc_find(tid), sig);
    proc_unlock();
    return r;
}

long sys_rt_sigaction(const struct sysargs *a)
{
    int sig = (int)a->arg[0];
    uaddr_t u_act = a->arg[1], u_old = a->arg[2];
    struct process *p = proc_current();

    if (!valid(sig) || a->arg[3] != KSIGSET_SIZE)
        return -EINVAL;
    struct ksigaction old = {
        .handler = (p->sig_ignored & SIG_BIT(sig)) ? SIG_IGN : SIG_DFL};
    if (u_act) {
        struct ksigaction act;
        if (user_copy_in(&act, u_act, sizeof act) < 0)
            return -EFAULT;
        if (sig == SIGKILL || sig == SIGSTOP)
            return -EINVAL;
        if (act.handler != SIG_DFL && act.handler != SIG_IGN)
            return -EINVAL; /* user handlers are not supported yet */
        if (act.handler == SIG_IGN) {
            p->sig_ignored |= SIG_BIT(sig);
            p->sig_pending &= ~SIG_BIT(sig);
        } else {
            p->sig_ignored &= ~SIG_BIT(sig);
        }
    }
    if (u_old && user_copy_out(u_old, &old, sizeof old) < 0)
        return -EFAULT;
    return 0;
}

long sys_rt_sigprocmask(const struct sysargs *a)
{
    int how = (int)a->arg[0];
    uaddr_t u_set = a->arg[1], u_old = a->arg[2];
    struct process *p = proc_current();

    if (a->arg[3] != KSIGSET_SIZE)
        return -EINVAL;
    uint64_t old = p->sig_blocked;
    if (u_set) {
        uint64_t set;
        if (user_copy_in(&set, u_set, sizeof set) < 0)
            return -EFAULT;
        if (how == SIG_BLOCK)
            p->sig_blocked |= set;
        else if (how == SIG_UNBLOCK)
            p->sig_blocked &= ~set;
        else if (how == SIG_SETMASK)
            p->sig_blocked = set;
        else
            return -EINVAL;
        p->sig_blocked &= ~UNBLOCKABLE;
    }
    if (u_old && user_copy_out(u_old, &old, sizeof old) < 0)
        return -EFAULT;
    return 0;
}

long sys_rt_sigpending(const struct sysargs *a)
{
    struct process *p = proc_current();
    if (a->arg[1] != KSIGSET_SIZE)
        return -EINVAL;
    uint64_t set = p->sig_pending & p->sig_blocked;
    return user_copy_out(a->arg[0], &set, sizeof set);
}
