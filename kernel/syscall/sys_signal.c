/*
 * Signal calls: kill, tkill, tgkill, rt_sigaction, rt_sigprocmask,
 * rt_sigpending, rt_sigreturn, rt_sigsuspend, pause, rt_sigtimedwait,
 * sigaltstack, alarm, setitimer and getitimer.
 *
 * Each checks and copies its arguments; the work - posting, delivery, the
 * frame and its checks, the timers - is in kernel/proc/ (signal.c,
 * sigframe.c, alarm.c).
 *
 * Context: task.
 * See: docs/signals.md, docs/syscalls.md, kernel/proc/signal.h
 */
#include "syscall/handlers.h"

#include <ember/errno.h>
#include <ember/signal.h>
#include <ember/time.h>

#include "arch/x86_64/trap.h"
#include "arch/x86_64/tsc.h"
#include "lib/kprintf.h"
#include "lib/portable.h"
#include "mm/user_copy.h"
#include "proc/process.h"
#include "proc/signal.h"
#include "proc/thread.h"

#define UNBLOCKABLE    (SIG_BIT(SIGKILL) | SIG_BIT(SIGSTOP))
#define SS_AUTODISARM  (1u << 31) /* accepted, as Linux does */
#define ITIMER_REAL    0
#define NS_PER_S       1000000000ull
#define NS_PER_US      1000ull
#define US_PER_S       1000000ll
#define HALF_SECOND_US 500000

static bool valid(int sig)
{
    return sig >= 1 && sig < SIG_COUNT;
}

/* Sends sig to p after the permission and existence checks (sig 0: none). */
static long send(struct process *p, int sig, int code)
{
    if (!p)
        return -ESRCH;
    if (p->zombie)
        return 0; /* exists until reaped; the signal has no effect, as on Linux
                   */
    if (sig) {
        struct linux_siginfo info = {.si_code = code};
        info.u.proc.pid = proc_current()->pid;
        signal_post_info(p, sig, &info);
    }
    return 0;
}

/* Sends sig to the one thread th (tkill, tgkill; sig 0: none). */
static long send_thread(struct thread *th, int sig)
{
    if (!th)
        return -ESRCH;
    if (sig) {
        struct linux_siginfo info = {.si_code = SI_TKILL};
        info.u.proc.pid = proc_current()->pid;
        signal_post_thread(th, sig, &info);
    }
    return 0;
}

long sys_kill(const struct sysargs *a)
{
    int pid = (int)a->arg[0], sig = (int)a->arg[1];
    if (sig != 0 && !valid(sig))
        return -EINVAL;
    if (pid > 0) {
        proc_lock();
        struct process *p = proc_find(pid);
        if (!p && proc_find_thread(pid))
            p = proc_find_thread(pid)->proc; /* Linux: a tid names its
                                                process here */
        long r = send(p, sig, SI_USER);
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
    long r = send_thread(proc_find_thread(tid), sig);
    proc_unlock();
    return r;
}

long sys_tgkill(const struct sysargs *a)
{
    int tgid = (int)a->arg[0], tid = (int)a->arg[1], sig = (int)a->arg[2];
    if (tgid <= 0 || tid <= 0 || (sig != 0 && !valid(sig)))
        return -EINVAL;
    proc_lock();
    struct thread *th = proc_find_thread(tid);
    long r = send_thread(th && th->proc->pid == tgid ? th : NULL, sig);
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
    struct kernel_sigaction old = p->sig_action[sig];
    if (u_act) {
        struct kernel_sigaction act;
        if (user_copy_in(&act, u_act, sizeof act) < 0)
            return -EFAULT;
        if (sig == SIGKILL || sig == SIGSTOP)
            return -EINVAL;
        act.sa_mask &= ~UNBLOCKABLE;
        p->sig_action[sig] = act;
        uint64_t irq = irq_save();
        if (act.sa_handler == SIG_IGN) {
            p->sig_ignored |= SIG_BIT(sig);
            signal_flush(p, sig); /* as POSIX says */
        } else {
            p->sig_ignored &= ~SIG_BIT(sig);
        }
        irq_restore(irq);
    }
    if (u_old && user_copy_out(u_old, &old, sizeof old) < 0)
        return -EFAULT;
    return 0;
}

long sys_rt_sigprocmask(const struct sysargs *a)
{
    int how = (int)a->arg[0];
    uaddr_t u_set = a->arg[1], u_old = a->arg[2];
    struct thread *th = thread_current(); /* masks are per thread */

    if (a->arg[3] != KSIGSET_SIZE)
        return -EINVAL;
    uint64_t old = th->sig_blocked;
    if (u_set) {
        uint64_t set;
        if (user_copy_in(&set, u_set, sizeof set) < 0)
            return -EFAULT;
        if (how == SIG_BLOCK)
            th->sig_blocked |= set;
        else if (how == SIG_UNBLOCK)
            th->sig_blocked &= ~set;
        else if (how == SIG_SETMASK)
            th->sig_blocked = set;
        else
            return -EINVAL;
        th->sig_blocked &= ~UNBLOCKABLE;
        /* What this thread now blocks, another may have to take. */
        signal_retarget(th->proc, th, th->sig_blocked & ~old);
    }
    if (u_old && user_copy_out(u_old, &old, sizeof old) < 0)
        return -EFAULT;
    return 0;
}

long sys_rt_sigpending(const struct sysargs *a)
{
    struct thread *th = thread_current();
    if (a->arg[1] != KSIGSET_SIZE)
        return -EINVAL;
    uint64_t set = (th->sig_pending | th->proc->sig_pending) & th->sig_blocked;
    return user_copy_out(a->arg[0], &set, sizeof set);
}

long sys_rt_sigreturn(const struct sysargs *a)
{
    struct process *p = proc_current();
    bool bad;
    long r = sigframe_return(thread_current(), a->frame, &bad);
    if (bad) {
        kprintf("ember: pid %d (%s): bad signal frame at 0x%lx: SIGSEGV\n",
                p->pid, p->name, (unsigned long)a->frame->rsp);
        proc_exit(SIGSEGV);
    }
    return r;
}

/* Sleeps until a signal is there to act on; always -EINTR. */
static long wait_for_signal(void)
{
    struct process *p = proc_current();
    struct wait_queue nobody = WAIT_QUEUE_INIT; /* only signals wake it */
    int err;
    WAIT_EVENT_INTR(&nobody, false, err);
    (void)p;
    return err;
}

long sys_rt_sigsuspend(const struct sysargs *a)
{
    uint64_t mask;
    if (a->arg[1] != KSIGSET_SIZE)
        return -EINVAL;
    if (user_copy_in(&mask, a->arg[0], sizeof mask) < 0)
        return -EFAULT;
    /* The old mask comes back once the handler's frame is built. */
    signal_wait_mask(thread_current(), mask);
    return wait_for_signal();
}

long sys_pause(const struct sysargs *a)
{
    (void)a;
    return wait_for_signal();
}

long sys_rt_sigtimedwait(const struct sysargs *a)
{
    uint64_t set, deadline = UINT64_MAX;
    uaddr_t u_info = a->arg[1], u_ts = a->arg[2];
    if (a->arg[3] != KSIGSET_SIZE)
        return -EINVAL;
    if (user_copy_in(&set, a->arg[0], sizeof set) < 0)
        return -EFAULT;
    if (u_ts) {
        struct timespec ts;
        if (user_copy_in(&ts, u_ts, sizeof ts) < 0)
            return -EFAULT;
        if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= (int64_t)NS_PER_S)
            return -EINVAL;
        deadline = tsc_ns_since_entry() + (uint64_t)ts.tv_sec * NS_PER_S +
                   (uint64_t)ts.tv_nsec;
    }
    struct linux_siginfo info;
    long r = signal_wait_for(set, deadline, &info);
    if (r > 0 && u_info && user_copy_out(u_info, &info, sizeof info) < 0)
        return -EFAULT;
    return r;
}

long sys_sigaltstack(const struct sysargs *a)
{
    struct thread *th = thread_current(); /* each thread has its own */
    uaddr_t u_ss = a->arg[0], u_old = a->arg[1];
    uint64_t sp = a->frame->rsp;
    bool on = sigframe_on_altstack(th, sp);
    struct linux_stack old = th->sig_altstack;
    old.ss_flags = !old.ss_size ? SS_DISABLE : on ? SS_ONSTACK : 0;
    if (u_ss) {
        struct linux_stack ss;
        if (user_copy_in(&ss, u_ss, sizeof ss) < 0)
            return -EFAULT;
        if (on)
            return -EPERM; /* not while running on it */
        int mode = ss.ss_flags & ~(int)SS_AUTODISARM;
        if (mode != 0 && mode != SS_ONSTACK && mode != SS_DISABLE)
            return -EINVAL;
        if (mode == SS_DISABLE) {
            th->sig_altstack = (struct linux_stack){0};
        } else {
            if (ss.ss_size < MINSIGSTKSZ)
                return -ENOMEM;
            th->sig_altstack =
                (struct linux_stack){.ss_sp = ss.ss_sp, .ss_size = ss.ss_size};
        }
    }
    if (u_old && user_copy_out(u_old, &old, sizeof old) < 0)
        return -EFAULT;
    return 0;
}

/* setitimer's and getitimer's struct itimerval. */
struct itimerval {
    struct timeval it_interval;
    struct timeval it_value;
};

static bool valid_tv(const struct timeval *tv)
{
    return tv->tv_sec >= 0 && tv->tv_usec >= 0 && tv->tv_usec < US_PER_S;
}

static uint64_t tv_ns(const struct timeval *tv)
{
    return (uint64_t)tv->tv_sec * NS_PER_S + (uint64_t)tv->tv_usec * NS_PER_US;
}

static struct timeval ns_tv(uint64_t ns)
{
    /* Linux rounds a running timer's rest up to the next microsecond. */
    uint64_t us = (ns + NS_PER_US - 1) / NS_PER_US;
    return (struct timeval){(int64_t)(us / US_PER_S), (int64_t)(us % US_PER_S)};
}

long sys_setitimer(const struct sysargs *a)
{
    struct itimerval nv = {0}, ov;
    if ((int)a->arg[0] != ITIMER_REAL)
        return -EINVAL; /* ITIMER_VIRTUAL, ITIMER_PROF: not kept */
    if (a->arg[1] && user_copy_in(&nv, a->arg[1], sizeof nv) < 0)
        return -EFAULT;
    if (!valid_tv(&nv.it_value) || !valid_tv(&nv.it_interval))
        return -EINVAL;
    uint64_t left, every;
    proc_set_alarm(tv_ns(&nv.it_value), tv_ns(&nv.it_interval), &left, &every);
    ov = (struct itimerval){ns_tv(every), ns_tv(left)};
    if (a->arg[2] && user_copy_out(a->arg[2], &ov, sizeof ov) < 0)
        return -EFAULT;
    return 0;
}

long sys_getitimer(const struct sysargs *a)
{
    if ((int)a->arg[0] != ITIMER_REAL)
        return -EINVAL;
    struct process *p = proc_current();
    uint64_t now = tsc_ns_since_entry();
    uint64_t left = p->alarm_ns > now ? p->alarm_ns - now : 0;
    struct itimerval v = {ns_tv(p->alarm_every_ns), ns_tv(left)};
    return user_copy_out(a->arg[1], &v, sizeof v);
}

long sys_alarm(const struct sysargs *a)
{
    unsigned secs = (unsigned)a->arg[0];
    uint64_t left, every;
    proc_set_alarm((uint64_t)secs * NS_PER_S, 0, &left, &every);
    struct timeval tv = ns_tv(left);
    /* Linux's rounding: to the nearest second, and never 0 if armed. */
    long old = tv.tv_sec;
    if ((!old && tv.tv_usec) || tv.tv_usec >= HALF_SECOND_US)
        old++;
    return old;
}
