/*
 * Posting and delivering signals: default actions, handlers, stop and
 * continue, and the restart of interrupted calls.
 *
 * Posting (any context) sets a pending bit, keeps the first siginfo, and
 * wakes the target if it is waiting, so its wait returns -EINTR. A signal
 * goes to a process (kill, the terminal, timers, SIGCHLD: any thread that
 * does not block it may take it, and the first such is woken; when that
 * thread blocks it or leaves, the next one is woken: signal_retarget()) or
 * to one thread (tkill, tgkill, the CPU's faults); masks are per thread.
 * Delivery (signal_deliver(), on every way back to ring 3) takes pending
 * signals one by one - faults first, then the lowest number, as Linux does -
 * and for each one either runs the default action or pushes a frame for its
 * handler (sigframe.c). Several handlers can be set up in one return: each
 * new frame goes on top of the last, so the last one set up runs first,
 * exactly as on Linux.
 *
 * A stop signal parks every thread of the process on its stop queue
 * until SIGCONT (or SIGKILL) arrives; the parent hears of both through wait4
 * and SIGCHLD. The stopped task reports its own continuation when it wakes,
 * because SIGCONT may be posted with locks held that the report needs.
 *
 * See: docs/signals.md
 */
#include "proc/signal.h"

#include <ember/errno.h>
#include <ember/signal.h>
#include <ember/syscall_linux.h>

#include "arch/x86_64/cpu.h"
#include "arch/x86_64/irq.h"
#include "arch/x86_64/syscall.h"
#include "arch/x86_64/trap.h"
#include "arch/x86_64/tsc.h"
#include "lib/portable.h"
#include "proc/process.h"
#include "proc/thread.h"
#include "sched/sched.h"
#include "sched/task.h"

/* Signals whose default action is to be ignored (signal(7)). */
#define SIG_DEFAULT_IGNORE                                                     \
    (SIG_BIT(SIGCHLD) | SIG_BIT(SIGURG) | SIG_BIT(SIGWINCH) | SIG_BIT(SIGCONT))
/* Signals whose default action is to stop. */
#define SIG_STOPS                                                              \
    (SIG_BIT(SIGSTOP) | SIG_BIT(SIGTSTP) | SIG_BIT(SIGTTIN) | SIG_BIT(SIGTTOU))
/* The CPU's own signals, taken before any other (Linux's SYNCHRONOUS_MASK). */
#define SIG_SYNC                                                               \
    (SIG_BIT(SIGSEGV) | SIG_BIT(SIGBUS) | SIG_BIT(SIGILL) | SIG_BIT(SIGTRAP) | \
     SIG_BIT(SIGFPE) | SIG_BIT(SIGSYS))
#define SIG_UNBLOCKABLE    (SIG_BIT(SIGKILL) | SIG_BIT(SIGSTOP))
#define SYSCALL_INSN_BYTES 2 /* `syscall` (0F 05): a restart backs over it */

const char *signal_name(int sig)
{
    static const char *const names[] = {
        [SIGHUP] = "SIGHUP",   [SIGINT] = "SIGINT",   [SIGQUIT] = "SIGQUIT",
        [SIGILL] = "SIGILL",   [SIGTRAP] = "SIGTRAP", [SIGABRT] = "SIGABRT",
        [SIGBUS] = "SIGBUS",   [SIGFPE] = "SIGFPE",   [SIGKILL] = "SIGKILL",
        [SIGUSR1] = "SIGUSR1", [SIGSEGV] = "SIGSEGV", [SIGUSR2] = "SIGUSR2",
        [SIGPIPE] = "SIGPIPE", [SIGALRM] = "SIGALRM", [SIGTERM] = "SIGTERM",
    };
    if (sig > 0 && sig < (int)(sizeof names / sizeof names[0]) && names[sig])
        return names[sig];
    return "signal";
}

static bool has_handler(const struct process *p, int sig)
{
    return p->sig_action[sig].sa_handler > SIG_IGN;
}

bool signal_is_fatal(const struct process *p, int sig)
{
    if (sig == SIGKILL)
        return true;
    if (has_handler(p, sig))
        return false;
    return !(SIG_BIT(sig) & (SIG_DEFAULT_IGNORE | SIG_STOPS | p->sig_ignored));
}

/* True if posting sig to p now would have no effect at all. */
static bool discarded(const struct process *p, int sig)
{
    if (sig == SIGKILL || has_handler(p, sig))
        return false;
    if (p->pid == 1)
        return true; /* init gets only the signals it handles */
    return SIG_BIT(sig) & (SIG_DEFAULT_IGNORE | p->sig_ignored);
}

/* SIGCONT's effect, at the moment it is sent. Interrupts off. */
static void do_continue(struct process *p)
{
    p->sig_pending &= ~SIG_STOPS;
    if (p->stopped) {
        p->stopped = false;
        p->cont_notify = true;
        wq_wake_all(&p->stop_wq);
    }
}

/* True if th should be the one to take process-directed sig. */
static bool wants(const struct thread *th, int sig)
{
    return !(th->sig_blocked & SIG_BIT(sig)) ||
           (th->sig_waitset & SIG_BIT(sig)) || sig == SIGKILL;
}

/* Wakes th if sig gives it something to do. Interrupts off. */
static void wake_for(struct thread *th, int sig)
{
    if (signal_pending(th) || (th->sig_waitset & SIG_BIT(sig)))
        thread_kick(th);
}

void signal_retarget(struct process *p, const struct thread *th, uint64_t set)
{
    uint64_t irq = irq_save();
    uint64_t moved = p->sig_pending & set;
    while (moved) {
        int sig = __builtin_ctzll(moved) + 1;
        moved &= ~SIG_BIT(sig);
        for (struct thread *o = p->threads; o; o = o->next)
            if (o != th && wants(o, sig)) {
                wake_for(o, sig);
                break;
            }
    }
    irq_restore(irq);
}

/* Posts sig to p, or (target set) to that thread of p. */
static void post(struct process *p, struct thread *target, int sig,
                 const struct linux_siginfo *info)
{
    if (sig < 1 || sig >= SIG_COUNT || p->zombie)
        return;
    uint64_t flags = irq_save();
    if (sig == SIGCONT)
        do_continue(p);
    else if (SIG_BIT(sig) & SIG_STOPS)
        p->sig_pending &= ~SIG_BIT(SIGCONT);
    /* An ignored signal that is not blocked is discarded at once, as on
     * Linux: it must not interrupt a blocked call with -EINTR. */
    /* Blocked signals are kept; the first thread stands for p (Linux
     * asks the leader). */
    const struct thread *mask_of = target ? target : p->threads;
    uint64_t blocked = mask_of ? mask_of->sig_blocked : 0;
    if (discarded(p, sig) && !(blocked & SIG_BIT(sig))) {
        irq_restore(flags);
        return;
    }
    uint64_t *pending = target ? &target->sig_pending : &p->sig_pending;
    if (!(*pending & SIG_BIT(sig)) && target) {
        target->sig_info[sig].code = info->si_code;
        memcpy(&target->sig_info[sig].data, &info->u,
               sizeof target->sig_info[sig].data);
    } else if (!(*pending & SIG_BIT(sig))) {
        p->sig_info[sig] = *info;
        p->sig_info[sig].si_signo = sig;
    }
    *pending |= SIG_BIT(sig);
    /* Wake the taker so an interruptible wait can return -EINTR. */
    struct thread *self = thread_current();
    if (target)
        wake_for(target, sig);
    else if (!(self && self->proc == p && wants(self, sig)))
        for (struct thread *th = p->threads; th; th = th->next)
            if (wants(th, sig)) {
                wake_for(th, sig);
                break;
            }
    irq_restore(flags);
}

void signal_post_info(struct process *p, int sig,
                      const struct linux_siginfo *info)
{
    post(p, NULL, sig, info);
}

void signal_post(struct process *p, int sig)
{
    struct linux_siginfo info = {.si_code = SI_KERNEL};
    signal_post_info(p, sig, &info);
}

void signal_post_thread(struct thread *th, int sig,
                        const struct linux_siginfo *info)
{
    post(th->proc, th, sig, info);
}

bool signal_fatal_pending(const struct thread *th)
{
    uint64_t pending = th->sig_pending | th->proc->sig_pending;
    uint64_t deliverable = pending & (~th->sig_blocked | SIG_BIT(SIGKILL));
    for (int sig = 1; sig < SIG_COUNT; sig++)
        if ((deliverable & SIG_BIT(sig)) && signal_is_fatal(th->proc, sig))
            return true;
    return thread_doomed(th);
}

bool signal_pending(const struct thread *th)
{
    uint64_t pending = th->sig_pending | th->proc->sig_pending;
    return (pending & ~th->sig_blocked) || (pending & SIG_BIT(SIGKILL)) ||
           thread_doomed(th);
}

bool signal_fault(struct thread *th, int sig, int code, uint64_t addr)
{
    if (!has_handler(th->proc, sig) || (th->sig_blocked & SIG_BIT(sig)))
        return false; /* Linux's force_sig: blocked or default, it kills */
    struct linux_siginfo info = {.si_code = code, .u.addr = addr};
    th->sig_pending &= ~SIG_BIT(sig); /* this fault's info, not an older one */
    signal_post_thread(th, sig, &info);
    return true;
}

void signal_exec_reset(struct process *p)
{
    for (int sig = 1; sig < SIG_COUNT; sig++)
        if (has_handler(p, sig))
            p->sig_action[sig] = (struct kernel_sigaction){0};
    thread_current()->sig_altstack = (struct linux_stack){0};
}

void signal_flush(struct process *p, int sig)
{
    uint64_t irq = irq_save();
    p->sig_pending &= ~SIG_BIT(sig);
    for (struct thread *th = p->threads; th; th = th->next)
        th->sig_pending &= ~SIG_BIT(sig);
    irq_restore(irq);
}

void signal_wait_mask(struct thread *th, uint64_t mask)
{
    th->sig_saved_mask = th->sig_blocked;
    th->sig_restore_mask = true;
    th->sig_blocked = mask & ~SIG_UNBLOCKABLE;
    signal_retarget(th->proc, th, th->sig_blocked & ~th->sig_saved_mask);
}

void signal_wait_mask_end(struct thread *th, bool interrupted)
{
    if (!th->sig_restore_mask || interrupted)
        return; /* signal_deliver() puts it back */
    th->sig_blocked = th->sig_saved_mask;
    th->sig_restore_mask = false;
}

/*
 * Takes the next signal to act on out of th's and its process's pending
 * sets (the thread's own first, as Linux does); 0 if none.
 */
static int take(struct thread *th, uint64_t allowed, struct linux_siginfo *info)
{
    struct process *p = th->proc;
    uint64_t set = (th->sig_pending | p->sig_pending) & allowed;
    if (!set)
        return 0;
    if (set & SIG_SYNC)
        set &= SIG_SYNC;
    int sig = __builtin_ctzll(set) + 1;
    if (th->sig_pending & SIG_BIT(sig)) {
        th->sig_pending &= ~SIG_BIT(sig);
        *info = (struct linux_siginfo){.si_signo = sig,
                                       .si_code = th->sig_info[sig].code};
        memcpy(&info->u, &th->sig_info[sig].data,
               sizeof th->sig_info[sig].data);
    } else {
        p->sig_pending &= ~SIG_BIT(sig);
        *info = p->sig_info[sig];
    }
    return sig;
}

long signal_wait_for(uint64_t set, uint64_t deadline_ns,
                     struct linux_siginfo *info)
{
    struct thread *th = thread_current();
    struct wait_queue nobody = WAIT_QUEUE_INIT; /* only signals wake it */
    set &= ~SIG_UNBLOCKABLE;
    uint64_t irq = irq_save();
    long r;
    th->sig_waitset = set;
    for (;;) {
        if ((r = take(th, set, info)) != 0)
            break;
        if (signal_pending(th)) {
            r = -EINTR;
            break;
        }
        if (deadline_ns != UINT64_MAX && tsc_ns_since_entry() >= deadline_ns) {
            r = -EAGAIN;
            break;
        }
        if (deadline_ns == UINT64_MAX)
            wq_block(&nobody);
        else
            wq_block_timed(&nobody, deadline_ns);
    }
    th->sig_waitset = 0;
    irq_restore(irq);
    return r;
}

void signal_notify_parent(struct process *c, int code, int status)
{
    struct process *parent = c->parent;
    if (!parent)
        return;
    uint64_t irq = irq_save();
    c->stop_report = code == CLD_STOPPED;
    c->cont_report = code == CLD_CONTINUED;
    irq_restore(irq);
    parent->child_events++;
    wq_wake_all(&parent->child_wait);
    if (parent->sig_action[SIGCHLD].sa_flags & SA_NOCLDSTOP)
        return;
    struct linux_siginfo info = {.si_code = code};
    info.u.proc.pid = c->pid;
    info.u.proc.status = status;
    signal_post_info(parent, SIGCHLD, &info);
}

/* Tells the parent, taking proc_lock with interrupts on. */
static void notify(struct process *p, int code, int status)
{
    sti();
    proc_lock();
    signal_notify_parent(p, code, status);
    proc_unlock();
    cli();
}

/* True if th must not stay stopped: SIGKILL, or the process is ending. */
static bool must_run(const struct thread *th)
{
    uint64_t pending = th->sig_pending | th->proc->sig_pending;
    return (pending & SIG_BIT(SIGKILL)) || thread_doomed(th);
}

/* Parks th while its process is stopped. Interrupts off. */
static void park(struct thread *th)
{
    while (th->proc->stopped && !must_run(th))
        wq_block(&th->proc->stop_wq);
}

/* Stops th's process: every thread parks until SIGCONT or SIGKILL.
 * Interrupts off. */
static void stop(struct thread *th, int sig)
{
    struct process *p = th->proc;
    p->stopped = true;
    p->stop_sig = sig;
    for (struct thread *o = p->threads; o; o = o->next)
        if (o != th)
            thread_kick(o); /* out of their waits, to park in delivery */
    notify(p, CLD_STOPPED, sig);
    park(th);
}

/* Linux restarts these after a handler with SA_RESTART (ERESTARTSYS). */
static bool restartable(uint64_t nr)
{
    switch (nr) {
    case SYS_read:
    case SYS_write:
    case SYS_readv:
    case SYS_writev:
    case SYS_pread64:
    case SYS_pwrite64:
    case SYS_ioctl:
    case SYS_wait4:
    case SYS_open:
    case SYS_openat:
    case SYS_sendfile:
        return true;
    }
    return false;
}

/* Makes the frame run its system call again. */
static void restart(struct trap_frame *f)
{
    f->rax = f->error; /* the syscall entry keeps the number there */
    f->rip -= SYSCALL_INSN_BYTES;
}

/* Runs sig's handler: a frame on the user stack, then the new mask. */
static void run_handler(struct thread *th, struct trap_frame *f, int sig,
                        const struct linux_siginfo *info)
{
    struct process *p = th->proc;
    struct kernel_sigaction act = p->sig_action[sig];
    uint64_t old = th->sig_restore_mask ? th->sig_saved_mask : th->sig_blocked;
    sti();
    int err = sigframe_push(th, f, sig, &act, info, old);
    cli();
    if (err < 0) {
        /* No stack to run it on: die as Linux's force_sigsegv() makes. */
        proc_fault(f, SIGSEGV, f->rsp);
    }
    th->sig_restore_mask = false;
    uint64_t before = th->sig_blocked;
    th->sig_blocked |= act.sa_mask;
    if (!(act.sa_flags & SA_NODEFER))
        th->sig_blocked |= SIG_BIT(sig);
    th->sig_blocked &= ~SIG_UNBLOCKABLE;
    signal_retarget(p, th, th->sig_blocked & ~before);
    if (act.sa_flags & SA_RESETHAND)
        p->sig_action[sig].sa_handler = SIG_DFL;
}

void signal_deliver(struct trap_frame *f)
{
    struct thread *th = thread_current();
    if (!th)
        return;
    struct process *p = th->proc;
    /* An interrupted Linux call: f still holds its result. */
    bool in_call = f->vector == SYSCALL_FRAME_MARK && (int64_t)f->rax == -EINTR;
    for (;;) {
        if (thread_doomed(th)) {
            sti();
            thread_die(); /* another thread is ending the process */
        }
        if (p->stopped && !must_run(th)) {
            park(th);
            continue;
        }
        if (p->cont_notify) {
            p->cont_notify = false;
            notify(p, CLD_CONTINUED, SIGCONT);
        }
        struct linux_siginfo info;
        uint64_t allowed = ~th->sig_blocked | SIG_BIT(SIGKILL);
        int sig = take(th, allowed, &info);
        if (!sig)
            break;
        if (sig == SIGKILL || signal_is_fatal(p, sig)) {
            sti();
            proc_exit(sig); /* wait status: killed by sig */
        }
        if (!has_handler(p, sig)) {
            if ((SIG_BIT(sig) & SIG_STOPS) && !(p->sig_ignored & SIG_BIT(sig)))
                stop(th, sig);
            continue; /* ignored */
        }
        if (in_call) {
            /* Only the first handler decides; later frames nest on it. */
            if (restartable(f->error) &&
                (p->sig_action[sig].sa_flags & SA_RESTART))
                restart(f);
            in_call = false;
        }
        run_handler(th, f, sig, &info);
    }
    /* No handler ran (ignored, or stopped and continued): call again. */
    if (in_call)
        restart(f);
    if (th->sig_restore_mask) {
        th->sig_blocked = th->sig_saved_mask;
        th->sig_restore_mask = false;
    }
}
