/*
 * exit() and wait4(): a process's end, and its parent collecting it.
 *
 * proc_exit() first ends the process's other threads, then releases
 * everything the process owns - descriptors (which
 * may close pipes and wake their readers), its address space, the seed's
 * exclusive screen if it held it - hands its children to init, and becomes
 * a zombie holding only its wait status; a stopped group it leaves
 * orphaned gets SIGHUP and SIGCONT (hang_up_orphans()). Its task then exits;
 * the reaper frees the task's stack. The parent's wait4() finds the zombie,
 * takes its status and frees the process structure; a parent that ignores
 * SIGCHLD has none to collect (no_zombie()), as on Linux.
 *
 * The status is Linux's encoding: (code & 0xff) << 8 for exit(code), the
 * signal number for a process a signal ended.
 *
 * Locking: the family links under proc_lock.
 * Context: task.
 * See: docs/usermode.md
 */
#include "proc/process.h"

#include <ember/errno.h>
#include <ember/signal.h>
#include <ember/wait.h>

#include "arch/x86_64/cpu.h"
#include "fs/fdtable.h"
#include "fs/file.h"
#include "lib/kprintf.h"
#include "lib/portable.h"
#include "mm/uvm.h"
#include "mm/vmm.h"
#include "sched/sched.h"
#include "proc/screen.h"
#include "proc/shutdown.h"
#include "proc/signal.h"
#include "proc/thread.h"
#include "sched/task.h"

static struct process *init_process(void)
{
    return proc_find(1);
}

/* Gives p's children to init; wakes init if one of them is a zombie.
 * Returns how many: they are now the first of init's children. */
static int reparent_children(struct process *p)
{
    struct process *init = init_process();
    bool zombie = false;
    int moved = 0;
    for (; p->children; moved++) {
        struct process *c = p->children;
        p->children = c->next_sibling;
        c->parent = init;
        c->next_sibling = init ? init->children : NULL;
        if (init)
            init->children = c;
        zombie |= c->zombie;
    }
    if (init && zombie) {
        init->child_events++;
        wq_wake_all(&init->child_wait);
    }
    return moved;
}

/* A group orphaned with a stopped member: SIGHUP, then SIGCONT. */
static void hang_up(int pgid)
{
    if (proc_pgid_stopped(pgid) && proc_pgid_orphaned(pgid)) {
        proc_signal_group(pgid, SIGHUP);
        proc_signal_group(pgid, SIGCONT);
    }
}

/*
 * POSIX: when p's exit orphans a process group (its own, or a child's)
 * that has a stopped member, nobody is left to continue it, so the group
 * gets SIGHUP and SIGCONT, as on Linux. moved: p's children, now the first
 * of init's. proc_lock held, p a zombie.
 */
static void hang_up_orphans(struct process *p, int moved)
{
    struct process *init = init_process();
    hang_up(p->pgid);
    struct process *c = init ? init->children : NULL;
    for (int i = 0; c && i < moved; i++, c = c->next_sibling)
        if (c->pgid != p->pgid && c->sid == p->sid)
            hang_up(c->pgid);
}

/*
 * A parent that set SIGCHLD to SIG_IGN, or SA_NOCLDWAIT, keeps no zombies:
 * p leaves the family and the list at once, as on Linux, and its parent's
 * wait4 sees one child fewer (-ECHILD when none is left). True if p was
 * taken out, to be freed by its own task. proc_lock held.
 */
static bool no_zombie(struct process *p)
{
    struct process *up = p->parent;
    if (!up || !((up->sig_ignored & SIG_BIT(SIGCHLD)) ||
                 (up->sig_action[SIGCHLD].sa_flags & SA_NOCLDWAIT)))
        return false;
    for (struct process **pp = &up->children; *pp; pp = &(*pp)->next_sibling) {
        if (*pp == p) {
            *pp = p->next_sibling;
            break;
        }
    }
    proc_unlink(p);
    return true;
}

void proc_exit(int wait_status)
{
    struct process *p = proc_current();
    struct task *t = task_current();
    struct thread *th = thread_current();

    /* exit_group: the other threads leave first (kernel/proc/thread.c). */
    if (!thread_kill_others())
        thread_die(); /* another thread is already ending the process */
    if (p->pid == 1) {
        /* Nothing can run without init: say how it ended, then power off. */
        kprintf("init: exited with status %d (wait status 0x%x)\n",
                (wait_status >> 8) & 0xff, wait_status);
        shutdown_power_off();
    }
    screen_release(p);
    fdtable_free(p->fds);
    p->fds = NULL;
    vfs_node_put(p->cwd);
    p->cwd = NULL;
    /*
     * Forget the space before leaving it, with interrupts off: a task
     * switch in between would otherwise load it again for us (sched.c
     * loads t->space), and uvm_free() would destroy the loaded space.
     */
    uint64_t irq = irq_save();
    t->space = NULL;
    vmm_space_switch(vmm_kernel_space());
    irq_restore(irq);
    uvm_free(p->uvm);
    p->uvm = NULL;

    proc_lock();
    vfs_node_put(p->exe); /* /proc/<pid>/exe reads it under proc_lock */
    p->exe = NULL;
    int moved = reparent_children(p);
    p->wait_status = wait_status;
    uint64_t flags = irq_save();
    p->threads = NULL; /* the survivor, the last on the list */
    p->nthreads = p->live = 0;
    p->gone_ticks += t->cpu_ticks;
    p->zombie = true;
    irq_restore(flags);
    hang_up_orphans(p, moved);
    if (p->parent) {
        p->parent->child_events++;
        wq_wake_all(&p->parent->child_wait);
        struct linux_siginfo info = {
            .si_code = WIFEXITED_STATUS(wait_status) ? CLD_EXITED : CLD_KILLED};
        info.u.proc.pid = p->pid;
        info.u.proc.status = WIFEXITED_STATUS(wait_status)
                                 ? (wait_status >> WAIT_EXIT_SHIFT) & 0xff
                                 : wait_status & WAIT_SIG_MASK;
        signal_post_info(p->parent, SIGCHLD, &info);
    }
    bool reaped = no_zombie(p);
    proc_unlock();
    proc_foreground_check(p->pgid, p->sid);
    t->proc = NULL;
    t->thread = NULL;
    if (th != &p->first)
        kfree(th); /* p itself may be gone: its parent may have reaped it */
    if (reaped)
        kfree(p); /* no parent will: SIGCHLD is ignored (no_zombie()) */
    task_exit(0);
}

static bool matches(const struct process *c, const struct process *self,
                    int pid)
{
    if (pid > 0)
        return c->pid == pid;
    if (pid == -1)
        return true;
    return c->pgid == (pid == 0 ? self->pgid : -pid);
}

/*
 * Looks for a matching child: returns a zombie (unlinked from the family,
 * to be freed, unless keep: WNOWAIT) or NULL, and says whether any child
 * matched at all. proc_lock held.
 */
static struct process *take_zombie(struct process *self, int pid, bool keep,
                                   bool *any)
{
    *any = false;
    for (struct process **pp = &self->children; *pp;
         pp = &(*pp)->next_sibling) {
        struct process *c = *pp;
        if (!matches(c, self, pid))
            continue;
        *any = true;
        if (c->zombie) {
            if (keep)
                return c;
            *pp = c->next_sibling;
            proc_unlink(c);
            return c;
        }
    }
    return NULL;
}

/*
 * A stop or continue of c that wait4's options ask for and nobody has seen:
 * fills *status (Linux's encoding) and clears the report, unless WNOWAIT
 * asks to leave it for a later wait. proc_lock held.
 */
static bool take_report(struct process *c, int options, int *status)
{
    uint64_t irq = irq_save();
    bool got = false;
    bool keep = options & WNOWAIT;
    if ((options & WUNTRACED) && c->stop_report && c->stopped) {
        c->stop_report = keep;
        *status = c->stop_sig << WAIT_EXIT_SHIFT | WAIT_STOPPED;
        got = true;
    } else if ((options & WCONTINUED) && c->cont_report) {
        c->cont_report = keep;
        *status = WAIT_CONTINUED;
        got = true;
    }
    irq_restore(irq);
    return got;
}

long proc_wait(int pid, int *status, int options)
{
    struct process *self = proc_current();
    for (;;) {
        bool any;
        uint64_t seen = self->child_events;
        bool keep = options & WNOWAIT;
        proc_lock();
        struct process *z = NULL;
        if (options & WEXITED)
            z = take_zombie(self, pid, keep, &any);
        else
            take_zombie(self, pid, true, &any); /* only: is there one? */
        int reported = 0;
        for (struct process *c = self->children; !z && c && !reported;
             c = c->next_sibling)
            if (matches(c, self, pid) && take_report(c, options, status))
                reported = c->pid;
        int zpid = z ? z->pid : 0;
        if (z)
            *status = z->wait_status;
        proc_unlock();
        if (reported)
            return reported;
        if (z) {
            if (!keep)
                kfree(z);
            return zpid;
        }
        if (!any)
            return -ECHILD;
        if (options & WNOHANG)
            return 0;
        /* Sleep until a child changes; recheck under the lock after. */
        int err;
        WAIT_EVENT_INTR(&self->child_wait, self->child_events != seen, err);
        if (err < 0)
            return err;
    }
}
