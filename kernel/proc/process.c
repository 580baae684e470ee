/*
 * Processes: the table, pids, the family tree, and what others may ask.
 *
 * Every process is on one list sorted by pid (proc.all); pids count up from
 * 1 and are not reused while the counter has room. The list and every
 * parent/child link are guarded by proc.lock, a sleeping mutex: fork, exit
 * and wait hold it for a few list operations, never across a user copy.
 * Signal bits are set by other tasks (kill, and the terminal's thread on
 * ctrl-c) and read on the way back to ring 3 with interrupts off, so they
 * are guarded by interrupts being off; proc_signal_group() and the other
 * list walks that the terminal makes without the mutex turn interrupts off
 * too, and the list is only changed with interrupts off (see
 * link()/unlink()). No interrupt handler sends signals any more.
 *
 * proc_init() registers, at boot, the hooks through which the floors below
 * reach processes without naming them: the trap layer's user ops and
 * page-fault handler, and the signal check of interruptible waits.
 *
 * See: docs/usermode.md
 */
#include "proc/process.h"

#include <ember/errno.h>
#include <ember/resource.h>
#include <ember/signal.h>

#include "arch/x86_64/cpu.h"
#include "arch/x86_64/irq.h"
#include "fs/tty.h"
#include "lib/log.h"
#include "lib/portable.h"
#include "mm/uvm.h"
#include "sched/mutex.h"
#include "sched/sched.h"
#include "proc/procfs.h"
#include "proc/signal.h"
#include "proc/thread.h"
#include "sched/task.h"

static struct {
    struct mutex lock;
    struct process *all; /* by ascending pid; changed with interrupts off */
    int next_pid;
} proc = {MUTEX_INIT("proc"), NULL, 1};

struct process *proc_current(void)
{
    struct task *t = task_current();
    return t ? t->proc : NULL;
}

void proc_lock(void)
{
    mutex_lock(&proc.lock);
}

void proc_unlock(void)
{
    mutex_unlock(&proc.lock);
}

struct process *proc_find(int pid)
{
    for (struct process *p = proc.all; p; p = p->next_all) {
        if (p->pid == pid)
            return p;
    }
    return NULL;
}

struct thread *proc_find_thread(int tid)
{
    for (struct process *p = proc.all; p; p = p->next_all) {
        if (p->zombie)
            continue;
        for (struct thread *th = p->threads; th; th = th->next)
            if (th->tid == tid)
                return th;
    }
    return NULL;
}

int proc_new_id(void)
{
    return proc.next_pid++; /* threads and processes share the numbers */
}

/* Adds p to the list in pid order. proc_lock held. */
void proc_link(struct process *p)
{
    uint64_t flags = irq_save();
    p->pid = proc_new_id();
    struct process **pp = &proc.all;
    while (*pp)
        pp = &(*pp)->next_all;
    *pp = p;
    irq_restore(flags);
}

/* Removes p from the list. proc_lock held. */
void proc_unlink(struct process *p)
{
    uint64_t flags = irq_save();
    for (struct process **pp = &proc.all; *pp; pp = &(*pp)->next_all) {
        if (*pp == p) {
            *pp = p->next_all;
            break;
        }
    }
    irq_restore(flags);
}

int proc_count(void)
{
    int n = 0;
    proc_lock();
    for (struct process *p = proc.all; p; p = p->next_all)
        n++;
    proc_unlock();
    return n;
}

int proc_current_pid(void)
{
    struct process *p = proc_current();
    return p ? p->pid : 0;
}

int proc_current_pgid(void)
{
    struct process *p = proc_current();
    return p ? p->pgid : 0;
}

int proc_current_sid(void)
{
    struct process *p = proc_current();
    return p ? p->sid : 0;
}

bool proc_signal_pending(void)
{
    struct thread *th = thread_current();
    /* A stopped process's other threads leave their waits to stop too. */
    return th && (signal_pending(th) || th->proc->stopped);
}

/* wait_fatal_pending()'s answer: the calling process is about to die. */
static bool proc_fatal_pending(void)
{
    struct thread *th = thread_current();
    return th && signal_fatal_pending(th);
}

bool proc_pgid_in_session(int pgid, int sid)
{
    bool found = false;
    uint64_t flags = irq_save();
    for (struct process *p = proc.all; p && !found; p = p->next_all)
        found = p->pgid == pgid && p->sid == sid && !p->zombie;
    irq_restore(flags);
    return found;
}

bool proc_pgid_alive(int pgid)
{
    bool found = false;
    uint64_t flags = irq_save();
    for (struct process *p = proc.all; p && !found; p = p->next_all)
        found = p->pgid == pgid && !p->zombie;
    irq_restore(flags);
    return found;
}

/* Does p match getpriority's (which, who)? Ember has one user, uid 0. */
static bool prio_match(const struct process *p, const struct process *self,
                       int which, int who)
{
    if (p->zombie)
        return false;
    if (which == PRIO_PROCESS)
        return p->pid == (who ? who : self->pid);
    if (which == PRIO_PGRP)
        return p->pgid == (who ? who : self->pgid);
    return who == 0; /* PRIO_USER: every process is uid 0's */
}

int proc_nice_get(int which, int who, int *nice)
{
    if (which != PRIO_PROCESS && which != PRIO_PGRP && which != PRIO_USER)
        return -EINVAL;
    struct process *self = proc_current();
    int best = 20; /* above any nice value: "none found" */
    proc_lock();
    for (struct process *p = proc.all; p; p = p->next_all) {
        if (prio_match(p, self, which, who) && p->nice < best)
            best = p->nice;
    }
    proc_unlock();
    if (best == 20)
        return -ESRCH;
    *nice = best;
    return 0;
}

int proc_nice_set(int which, int who, int nice)
{
    if (which != PRIO_PROCESS && which != PRIO_PGRP && which != PRIO_USER)
        return -EINVAL;
    nice = nice < -20 ? -20 : nice > 19 ? 19 : nice;
    struct process *self = proc_current();
    int found = 0;
    proc_lock();
    for (struct process *p = proc.all; p; p = p->next_all) {
        if (prio_match(p, self, which, who)) {
            p->nice = nice;
            found++;
        }
    }
    proc_unlock();
    return found ? 0 : -ESRCH;
}

int proc_signal_group(int pgid, int sig)
{
    int sent = 0;
    uint64_t flags = irq_save();
    for (struct process *p = proc.all; p; p = p->next_all) {
        if (p->pgid == pgid && !p->zombie) {
            signal_post(p, sig);
            sent++;
        }
    }
    irq_restore(flags);
    return sent ? 0 : -ESRCH;
}

bool proc_current_sig_ignored(int sig)
{
    struct thread *th = thread_current();
    uint64_t bit = SIG_BIT(sig);
    return th && ((th->proc->sig_ignored | th->sig_blocked) & bit);
}

/*
 * POSIX's orphaned process group: no live member has a parent in another
 * group of the same session, so no shell is left to continue it. Context:
 * any (interrupts off here).
 */
bool proc_pgid_orphaned(int pgid)
{
    bool linked = false;
    uint64_t flags = irq_save();
    for (struct process *p = proc.all; p && !linked; p = p->next_all) {
        struct process *up = p->parent;
        linked = p->pgid == pgid && !p->zombie && up && !up->zombie &&
                 up->pgid != pgid && up->sid == p->sid;
    }
    irq_restore(flags);
    return !linked;
}

bool proc_pgid_stopped(int pgid)
{
    bool found = false;
    uint64_t flags = irq_save();
    for (struct process *p = proc.all; p && !found; p = p->next_all)
        found = p->pgid == pgid && !p->zombie && p->stopped;
    irq_restore(flags);
    return found;
}

uint64_t proc_fire_alarms(uint64_t now_ns)
{
    uint64_t next = UINT64_MAX;
    uint64_t flags = irq_save();
    for (struct process *p = proc.all; p; p = p->next_all) {
        if (p->zombie || !p->alarm_ns)
            continue;
        if (p->alarm_ns <= now_ns) {
            signal_post(p, SIGALRM);
            p->alarm_ns = p->alarm_every_ns ? now_ns + p->alarm_every_ns : 0;
        }
        if (p->alarm_ns && p->alarm_ns < next)
            next = p->alarm_ns;
    }
    irq_restore(flags);
    return next;
}

/* The signal sets of p as seen from th (NULL: none). */
static void fill_signals(const struct process *p, const struct thread *th,
                         struct proc_info *out)
{
    uint64_t irq = irq_save();
    out->sig_shared = p->sig_pending;
    out->sig_ignored = p->sig_ignored;
    for (int sig = 1; sig < SIG_COUNT; sig++)
        if (p->sig_action[sig].sa_handler > SIG_IGN)
            out->sig_caught |= SIG_BIT(sig);
    if (th) {
        out->sig_pending = th->sig_pending;
        out->sig_blocked = th->sig_blocked;
    }
    irq_restore(irq);
}

static void fill_info(const struct process *p, struct proc_info *out)
{
    memset(out, 0, sizeof *out);
    out->pid = out->tid = p->pid;
    out->nthreads = p->nthreads;
    out->ppid = p->parent ? p->parent->pid : 0;
    out->pgid = p->pgid;
    out->sid = p->sid;
    out->state = thread_state_letter(p);
    out->nice = p->nice;
    memcpy(out->name, p->name, sizeof out->name);
    out->cpu_ticks = thread_cpu_ticks(p);
    out->start_ticks = p->start_ticks;
    if (p->uvm) {
        out->vm_bytes = uvm_mapped_bytes(p->uvm);
        out->rss_pages = uvm_resident_pages(p->uvm);
    }
    memcpy(out->cmdline, p->cmdline, sizeof out->cmdline);
    out->cmdline_len = p->cmdline_len;
    fill_signals(p, p->threads, out);
}

int proc_list(struct proc_info *out, int max)
{
    int n = 0;
    proc_lock();
    for (struct process *p = proc.all; p; p = p->next_all, n++) {
        if (n < max)
            fill_info(p, &out[n]);
    }
    proc_unlock();
    return n;
}

int proc_info_get(int pid, struct proc_info *out)
{
    proc_lock();
    struct process *p = proc_find(pid);
    if (p)
        fill_info(p, out);
    proc_unlock();
    return p ? 0 : -ESRCH;
}

int proc_thread_ids(int pid, int *tids, int max)
{
    int n = 0;
    proc_lock();
    struct process *p = proc_find(pid);
    if (p == NULL || p->zombie) {
        proc_unlock();
        return -ESRCH;
    }
    uint64_t irq = irq_save(); /* the thread list changes so */
    for (const struct thread *th = p->threads; th; th = th->next, n++) {
        /* Insertion sort: tids are nearly always in order already. */
        int i = n < max ? n : max;
        while (i > 0 && tids[i - 1] > th->tid) {
            if (i < max)
                tids[i] = tids[i - 1];
            i--;
        }
        if (i < max)
            tids[i] = th->tid;
    }
    irq_restore(irq);
    proc_unlock();
    return n;
}

int proc_thread_owner(int tid)
{
    proc_lock();
    struct thread *th = proc_find_thread(tid);
    int pid = th ? th->proc->pid : -ESRCH;
    proc_unlock();
    return pid;
}

int proc_thread_info_get(int pid, int tid, struct proc_info *out)
{
    int err = -ESRCH;
    proc_lock();
    struct process *p = proc_find(pid);
    struct thread *th = p && !p->zombie ? proc_find_thread(tid) : NULL;
    if (th && th->proc == p) {
        fill_info(p, out);
        out->tid = tid;
        out->state = thread_letter(th);
        out->cpu_ticks = thread_own_ticks(th);
        fill_signals(p, th, out);
        err = 0;
    }
    proc_unlock();
    return err;
}

/* Records argv as the process's name and NUL-separated command line. */
void proc_set_cmdline(struct process *p, const char *path, char *const argv[])
{
    const char *base = path;
    for (const char *s = path; *s; s++) {
        if (*s == '/' && s[1])
            base = s + 1;
    }
    size_t n = strnlen(base, PROC_NAME_MAX - 1);
    memcpy(p->name, base, n);
    p->name[n] = '\0';
    size_t len = 0;
    for (int i = 0; argv && argv[i]; i++) {
        size_t a = strlen(argv[i]) + 1;
        if (len + a > PROC_CMDLINE_MAX)
            break;
        memcpy(p->cmdline + len, argv[i], a);
        len += a;
    }
    p->cmdline_len = len;
}

void proc_foreground_check(int pgid, int sid)
{
    if (tty_foreground() == pgid && !proc_pgid_alive(pgid))
        tty_set_foreground(sid);
}

void proc_init(void)
{
    trap_set_user_ops(&proc_trap_ops);
    trap_register(TRAP_PAGE_FAULT, proc_page_fault_trap);
    wait_set_signal_check(proc_signal_pending);
    wait_set_fatal_check(proc_fatal_pending);
    vfs_mount("/proc", "proc", &procfs_fs);
}
