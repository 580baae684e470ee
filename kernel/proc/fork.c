/*
 * fork(): a new process that is a copy of the caller.
 *
 * The child gets the parent's regions with every page shared copy-on-write
 * (kernel/mm/uvm.c), a copy of its descriptor table (each open file gains a
 * reference, so offsets are shared as on Unix), its directory, process
 * group, session, SIG_IGN dispositions and handlers, and the calling
 * thread's signal mask, FPU state and FS base: one thread, whichever thread
 * of a threaded parent called fork. Its task starts on a kernel stack whose top
 * holds a copy of the parent's syscall frame with RAX = 0, and leaves for ring
 * 3 through it: the child returns from fork() with 0, the parent with the
 * child's pid. There are at most PROC_MAX processes; past that fork fails with
 * -EAGAIN.
 *
 * Context: task (the parent's syscall).
 * See: docs/usermode.md
 */
#include "proc/process.h"
#include "proc/thread.h"

#include <ember/errno.h>

#include "arch/x86_64/cpu.h"
#include "arch/x86_64/fpu.h"
#include "arch/x86_64/syscall.h"
#include "fs/fdtable.h"
#include "fs/file.h"
#include "lib/portable.h"
#include "mm/user_copy.h"
#include "mm/uvm.h"
#include "sched/sched.h"
#include "sched/task.h"

/* The child's first code: out to ring 3 through the copied frame. */
static int child_entry(void *arg)
{
    (void)arg;
    syscall_enter_user(syscall_user_frame(task_current()->stack_top));
}

static struct process *copy_process(struct process *parent)
{
    struct process *c = kmalloc(sizeof *c);
    if (!c)
        return NULL;
    memset(c, 0, sizeof *c);
    memcpy(c->name, parent->name, sizeof c->name);
    memcpy(c->cmdline, parent->cmdline, sizeof c->cmdline);
    c->cmdline_len = parent->cmdline_len;
    c->cwd = vfs_node_get(parent->cwd);
    c->exe = vfs_node_get(parent->exe);
    c->pgid = parent->pgid;
    c->sid = parent->sid;
    /* The calling thread's mask and alternate stack: the child's thread. */
    c->first.sig_blocked = thread_current()->sig_blocked;
    c->first.sig_altstack = thread_current()->sig_altstack;
    c->sig_ignored = parent->sig_ignored;
    memcpy(c->sig_action, parent->sig_action, sizeof c->sig_action);
    c->umask = parent->umask;
    c->nice = parent->nice;
    c->start_ticks = sched_ticks();
    if (uvm_fork(parent->uvm, &c->uvm) < 0)
        goto fail;
    c->fds = fdtable_clone(parent->fds);
    if (!c->fds)
        goto fail_uvm;
    return c;
fail_uvm:
    uvm_free(c->uvm);
fail:
    vfs_node_put(c->exe);
    vfs_node_put(c->cwd);
    kfree(c);
    return NULL;
}

long proc_fork(struct trap_frame *f)
{
    return proc_fork_frame(f, f, 0);
}

/* CLONE_CHILD_SETTID: the pid goes into the child's (own, copied) page. */
static void store_child_tid(struct process *c, uaddr_t u_tid, int pid)
{
    int32_t tid = pid;
    if (user_range_ok(u_tid, sizeof tid) &&
        uvm_fault(c->uvm, u_tid, true, false) == 0)
        uvm_write(c->uvm, u_tid, &tid, sizeof tid);
}

long proc_fork_frame(struct trap_frame *f, const struct trap_frame *child_f,
                     uaddr_t u_child_tid)
{
    (void)f;
    if (proc_count() >= PROC_MAX)
        return -EAGAIN; /* checked before the copy; one CPU, so no race */
    struct process *parent = proc_current();
    struct process *c = copy_process(parent);
    if (!c)
        return -ENOMEM;
    struct task *t = task_alloc(parent->name, child_entry, NULL, true);
    if (!t) {
        fdtable_free(c->fds);
        uvm_free(c->uvm);
        vfs_node_put(c->exe);
        vfs_node_put(c->cwd);
        kfree(c);
        return -ENOMEM;
    }
    *syscall_user_frame(t->stack_top) = *child_f;
    syscall_user_frame(t->stack_top)->rax = 0;
    fpu_save(t->fpu); /* the parent's live registers */
    t->fs_base = rdmsr(MSR_FS_BASE);
    t->space = c->uvm->space;

    proc_lock();
    c->parent = parent;
    c->next_sibling = parent->children;
    parent->children = c;
    proc_link(c);
    int pid = c->pid;
    thread_attach(&c->first, c, t, pid);
    proc_unlock();
    if (u_child_tid)
        store_child_tid(c, u_child_tid, pid);

    uint64_t flags = irq_save();
    sched_add(t);
    irq_restore(flags);
    return pid;
}
