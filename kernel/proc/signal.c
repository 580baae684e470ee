/*
 * Posting and delivering signals, default actions only.
 *
 * See: docs/syscalls.md (the table of default actions and the fault-to-
 * signal mapping).
 */
#include "proc/signal.h"

#include <ember/signal.h>

#include "arch/x86_64/irq.h"
#include "arch/x86_64/trap.h"
#include "lib/portable.h"
#include "proc/process.h"
#include "sched/sched.h"
#include "sched/task.h"

/* Signals whose default action is to be ignored (signal(7)). */
#define SIG_DEFAULT_IGNORE                                                     \
    (SIG_BIT(SIGCHLD) | SIG_BIT(SIGURG) | SIG_BIT(SIGWINCH) |                  \
     SIG_BIT(SIGCONT) | SIG_BIT(SIGSTOP) | SIG_BIT(SIGTSTP) |                  \
     SIG_BIT(SIGTTIN) | SIG_BIT(SIGTTOU))

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

bool signal_is_fatal(const struct process *p, int sig)
{
    if (sig == SIGKILL)
        return true;
    return !(SIG_BIT(sig) & (SIG_DEFAULT_IGNORE | p->sig_ignored));
}

void signal_post(struct process *p, int sig)
{
    if (sig < 1 || sig >= SIG_COUNT || p->zombie)
        return;
    if (p->pid == 1)
        return; /* init has no handlers: nothing may end it */
    /* An ignored signal that is not blocked is discarded at once, as on
     * Linux: it must not interrupt a blocked call with -EINTR. */
    if (!signal_is_fatal(p, sig) && !(p->sig_blocked & SIG_BIT(sig)))
        return;
    uint64_t flags = irq_save();
    p->sig_pending |= SIG_BIT(sig);
    struct task *t = p->task;
    /* Wake it so an interruptible wait can return -EINTR. */
    if (t && signal_pending(p) && t->state == TASK_BLOCKED && t->waiting_on) {
        wq_cancel(t);
    } else if (t && signal_pending(p) && t->state == TASK_SLEEPING) {
        sched_cancel_sleep(t);
        sched_make_ready(t);
    }
    irq_restore(flags);
}

bool signal_pending(const struct process *p)
{
    uint64_t deliverable = p->sig_pending & ~p->sig_blocked;
    return deliverable || (p->sig_pending & SIG_BIT(SIGKILL));
}

void signal_wait_mask(struct process *p, uint64_t mask)
{
    p->sig_saved_mask = p->sig_blocked;
    p->sig_restore_mask = true;
    p->sig_blocked = mask & ~(SIG_BIT(SIGKILL) | SIG_BIT(SIGSTOP));
}

void signal_wait_mask_end(struct process *p, bool interrupted)
{
    if (!p->sig_restore_mask || interrupted)
        return; /* signal_deliver() puts it back */
    p->sig_blocked = p->sig_saved_mask;
    p->sig_restore_mask = false;
}

void signal_deliver(struct trap_frame *f)
{
    (void)f;
    struct process *p = proc_current();
    if (!p)
        return;
    while (signal_pending(p)) {
        uint64_t set = (p->sig_pending & ~p->sig_blocked) |
                       (p->sig_pending & SIG_BIT(SIGKILL));
        int sig = __builtin_ctzll(set) + 1;
        p->sig_pending &= ~SIG_BIT(sig);
        if (signal_is_fatal(p, sig)) {
            sti();
            proc_exit(sig); /* wait status: killed by sig */
        }
    }
    if (p->sig_restore_mask) {
        p->sig_blocked = p->sig_saved_mask;
        p->sig_restore_mask = false;
    }
}
