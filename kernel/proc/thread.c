/*
 * Threads: clone(CLONE_THREAD), a thread's exit, and ending the others.
 *
 * A new thread is a new detached task whose kernel stack's top holds a
 * copy of the caller's syscall frame with RAX = 0 and the stack the C
 * library handed over, so it leaves clone() in ring 3 exactly like a
 * forked child, but in the same process: same address space (the task
 * gets the same `space`), descriptors, directory and handlers. It inherits
 * the caller's signal mask and FPU registers, and no alternate stack, as
 * on Linux.
 *
 * Leaving is where threads differ from processes. A thread that is not
 * its process's last writes 0 to its clear-tid word and wakes one futex
 * waiter there (this is how pthread_join learns of it), leaves the list
 * and exits its task; the reaper frees the stack. The process ends with
 * its last thread, or at once through exit_group or a fatal signal: then
 * thread_kill_others() marks the caller as the survivor and kicks every
 * other thread out of its waits; each one meets thread_doomed() on its way
 * back to ring 3 (signal_deliver()) and leaves through thread_die(), and
 * the survivor, asleep until the list holds only itself, then frees what
 * they shared. The address space is so freed by the last thread to leave:
 * the thread count is its reference count.
 *
 * Two counts, because a thread leaving still touches user memory (the
 * clear-tid word): `live` drops when a thread decides to leave, and
 * decides which thread is the last; `nthreads` drops when it has gone,
 * and is what the survivor waits for.
 *
 * Locking: the list and the counts, interrupts off; a thread also leaves
 * the list under proc_lock, which tkill holds while it uses the thread it
 * found; ids come from the pid counter under proc_lock.
 * Context: task.
 * See: docs/threads.md
 */
#include "proc/thread.h"

#include <ember/errno.h>

#include "arch/x86_64/cpu.h"
#include "arch/x86_64/fpu.h"
#include "arch/x86_64/syscall.h"
#include "lib/portable.h"
#include "mm/kheap.h"
#include "mm/user_copy.h"
#include "mm/uvm.h"
#include "mm/vmm.h"
#include "proc/futex.h"
#include "proc/process.h"
#include "proc/signal.h"
#include "sched/sched.h"
#include "sched/task.h"

struct thread *thread_current(void)
{
    struct task *t = task_current();
    return t ? t->thread : NULL;
}

void thread_attach(struct thread *th, struct process *p, struct task *t,
                   int tid)
{
    th->proc = p;
    th->task = t;
    th->tid = tid;
    th->next = NULL;
    t->proc = p;
    t->thread = th;
    uint64_t irq = irq_save();
    struct thread **pp = &p->threads;
    while (*pp)
        pp = &(*pp)->next; /* in creation order: the first one first */
    *pp = th;
    p->nthreads++;
    p->live++;
    irq_restore(irq);
}

bool thread_doomed(const struct thread *th)
{
    const struct process *p = th->proc;
    return p->survivor && p->survivor != th;
}

void thread_kick(struct thread *th)
{
    struct task *t = th->task;
    if (t->state == TASK_BLOCKED && t->waiting_on) {
        wq_cancel(t);
    } else if (t->state == TASK_SLEEPING) {
        sched_cancel_sleep(t);
        sched_make_ready(t);
    }
}

/* The new thread's first code: out to ring 3 through the copied frame. */
static int clone_entry(void *arg)
{
    (void)arg;
    syscall_enter_user(syscall_user_frame(task_current()->stack_top));
}

long thread_clone(const struct trap_frame *child_f, bool set_tls, uint64_t tls,
                  uaddr_t u_ptid, uaddr_t u_ctid, uaddr_t u_clear)
{
    struct thread *me = thread_current();
    struct process *p = me->proc;
    if (set_tls && tls >= USER_TOP)
        return -EPERM; /* as arch_prctl(ARCH_SET_FS) refuses it */
    if (p->nthreads >= THREAD_MAX || p->survivor)
        return -EAGAIN;
    struct thread *th = kmalloc(sizeof *th);
    if (!th)
        return -ENOMEM;
    memset(th, 0, sizeof *th);
    struct task *t = task_alloc(p->name, clone_entry, NULL, true);
    if (!t) {
        kfree(th);
        return -ENOMEM;
    }
    *syscall_user_frame(t->stack_top) = *child_f;
    syscall_user_frame(t->stack_top)->rax = 0;
    fpu_save(t->fpu); /* the caller's live registers */
    t->fs_base = set_tls ? tls : rdmsr(MSR_FS_BASE);
    t->space = p->uvm->space;
    th->sig_blocked = me->sig_blocked;
    th->clear_tid = u_clear;

    proc_lock();
    int tid = proc_new_id();
    thread_attach(th, p, t, tid);
    proc_unlock();
    /* Both in the shared memory, before the thread can run (Linux's order;
     * a bad address is ignored, as Linux ignores it). */
    int32_t tid32 = tid;
    if (u_ptid)
        user_copy_out(u_ptid, &tid32, sizeof tid32);
    if (u_ctid)
        user_copy_out(u_ctid, &tid32, sizeof tid32);
    uint64_t irq = irq_save();
    sched_add(t);
    irq_restore(irq);
    return tid;
}

/* Leaves: the clear-tid word, off the list, the task ends. */
static void leave(struct thread *th) __attribute__((noreturn));
static void leave(struct thread *th)
{
    struct process *p = th->proc;
    struct task *t = th->task;
    if (th->clear_tid) {
        int32_t zero = 0;
        if (user_copy_out(th->clear_tid, &zero, sizeof zero) == 0)
            futex_wake(p, false, th->clear_tid, 1, FUTEX_BITSET_ANY);
    }
    proc_lock(); /* tkill and tgkill find threads under it */
    uint64_t irq = irq_save();
    for (struct thread **pp = &p->threads; *pp; pp = &(*pp)->next) {
        if (*pp == th) {
            *pp = th->next;
            break;
        }
    }
    p->nthreads--;
    p->gone_ticks += t->cpu_ticks;
    signal_retarget(p, th, ~0ull); /* what it could have taken */
    /* As proc_exit(): forget the space before the survivor may free it. */
    t->space = NULL;
    vmm_space_switch(vmm_kernel_space());
    t->proc = NULL;
    t->thread = NULL;
    wq_wake_all(&p->threads_gone);
    irq_restore(irq);
    proc_unlock();
    /* p may be gone from here on (the survivor ran, its parent reaped). */
    if (th != &p->first)
        kfree(th);
    task_exit(0);
}

void thread_exit(int wait_status)
{
    struct thread *th = thread_current();
    struct process *p = th->proc;
    uint64_t irq = irq_save();
    bool last = p->live == 1 && !thread_doomed(th);
    if (!last && !th->exiting) {
        th->exiting = true;
        p->live--;
    }
    irq_restore(irq);
    if (last)
        proc_exit(wait_status);
    leave(th);
}

void thread_die(void)
{
    struct thread *th = thread_current();
    uint64_t irq = irq_save();
    if (!th->exiting) {
        th->exiting = true;
        th->proc->live--;
    }
    irq_restore(irq);
    leave(th);
}

bool thread_kill_others(void)
{
    struct thread *me = thread_current();
    struct process *p = me->proc;
    uint64_t irq = irq_save();
    if (thread_doomed(me)) {
        irq_restore(irq);
        return false;
    }
    p->survivor = me;
    for (struct thread *th = p->threads; th; th = th->next)
        if (th != me)
            thread_kick(th);
    while (p->nthreads > 1)
        wq_block(&p->threads_gone);
    irq_restore(irq);
    return true;
}

void thread_exec_done(void)
{
    struct thread *me = thread_current();
    struct process *p = me->proc;
    uint64_t irq = irq_save();
    p->survivor = NULL;
    me->tid = p->pid; /* as on Linux: the thread that execs takes the pid */
    me->clear_tid = 0;
    irq_restore(irq);
}

uint64_t thread_cpu_ticks(const struct process *p)
{
    uint64_t irq = irq_save();
    uint64_t ticks = p->gone_ticks;
    for (const struct thread *th = p->threads; th; th = th->next)
        ticks += th->task->cpu_ticks;
    irq_restore(irq);
    return ticks;
}

uint64_t thread_own_ticks(const struct thread *th)
{
    uint64_t irq = irq_save();
    uint64_t ticks = th->task->cpu_ticks;
    irq_restore(irq);
    return ticks;
}

/* R if th is running or ready, else S. Interrupts off. */
static char letter(const struct thread *th)
{
    enum task_state s = th->task->state;
    return s == TASK_RUNNING || s == TASK_READY ? 'R' : 'S';
}

char thread_letter(const struct thread *th)
{
    if (th->proc->stopped)
        return 'T';
    uint64_t irq = irq_save();
    char c = letter(th);
    irq_restore(irq);
    return c;
}

char thread_state_letter(const struct process *p)
{
    if (p->zombie)
        return 'Z';
    if (p->stopped)
        return 'T';
    char c = 'S';
    uint64_t irq = irq_save();
    for (const struct thread *th = p->threads; th; th = th->next)
        if (letter(th) == 'R')
            c = 'R';
    irq_restore(irq);
    return c;
}
