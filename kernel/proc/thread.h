/*
 * Threads: the ring-3 tasks of one process, as Linux's CLONE_THREAD makes
 * them.
 *
 * A process owns what its threads share: the address space, the
 * descriptors, the directory, the signal handlers and the process-directed
 * pending signals. A thread owns what runs: one scheduler task (with its
 * kernel stack, FPU state and FS base), a thread id, a signal mask,
 * thread-directed pending signals, an alternate signal stack and the
 * CLONE_CHILD_CLEARTID word that musl's and glibc's pthread_join wait on.
 * The first thread of a process is built into struct process (its tid is
 * the pid); clone() adds others.
 *
 * exit() ends one thread, exit_group() and every fatal signal the whole
 * process: the thread that ends it (the survivor) marks the others, wakes
 * them, and waits until they have left before it frees what they share.
 * execve() does the same with the other threads and then carries on.
 *
 * Locking: the thread list and the counts are changed with interrupts off
 * (signals are posted to threads from any task, and the terminal's
 * thread walks them); a thread's signal fields as for struct process.
 * Context: task.
 * See: docs/threads.md
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include <ember/signal.h>

#include "mm/layout.h"

struct process;
struct task;
struct trap_frame;

/* At most this many threads in one process: past it clone gets -EAGAIN. */
#define THREAD_MAX 128

/*
 * What a thread-directed signal carries (tkill's sender, a fault's
 * address): si_code and the first word of siginfo's union, kept small
 * because every thread has one per signal.
 */
struct thread_siginfo {
    int32_t code;
    uint64_t data; /* pid and uid, or the address */
};

struct thread {
    /* Set at creation (tid changes once, when execve makes it the leader). */
    struct process *proc;
    struct task *task;
    int tid;
    struct thread *next; /* in proc->threads: interrupts off */
    bool exiting;        /* counted out of proc->live: interrupts off */

    /* Owned by the thread's own task. */
    uaddr_t clear_tid; /* CLONE_CHILD_CLEARTID / set_tid_address: 0 = none */

    /* Signals: interrupts off. */
    uint64_t sig_pending; /* directed at this thread (tkill, faults) */
    uint64_t sig_blocked;
    uint64_t sig_waitset; /* rt_sigtimedwait: blocked signals that wake */
    struct thread_siginfo sig_info[SIG_COUNT]; /* of sig_pending's */

    /* Owned by the thread's own task. */
    uint64_t sig_saved_mask; /* ppoll, pselect6, rt_sigsuspend */
    bool sig_restore_mask;   /* put it back at the next return to ring 3 */
    struct linux_stack sig_altstack; /* ss_flags: 0 or SS_DISABLE */
};

/* The calling task's thread, or NULL for a kernel thread. */
struct thread *thread_current(void);

/*
 * Ties th to process p and task t as p's thread with id tid, and t to
 * both. Interrupts are turned off here.
 */
void thread_attach(struct thread *th, struct process *p, struct task *t,
                   int tid);

/*
 * clone(CLONE_THREAD ...): a new thread of the caller's process that
 * starts from child_f (rax 0) with FS base tls (when set_tls). Stores its
 * tid at u_ptid and u_ctid when asked (as Linux's CLONE_PARENT_SETTID and
 * CLONE_CHILD_SETTID) and remembers u_clear. Returns the tid, -EAGAIN past
 * THREAD_MAX or PROC_MAX, -ENOMEM.
 */
long thread_clone(const struct trap_frame *child_f, bool set_tls, uint64_t tls,
                  uaddr_t u_ptid, uaddr_t u_ctid, uaddr_t u_clear);

/*
 * exit(): ends the calling thread. The last thread of the process ends the
 * process with wait_status (proc_exit()). Never returns.
 */
void thread_exit(int wait_status) __attribute__((noreturn));

/*
 * Makes the caller the only thread of its process: every other thread is
 * marked, woken, and waited for until it has left. Returns true; false
 * when another thread is already doing so (exit_group or execve) - the
 * caller must then leave with thread_die(). Context: the process's task.
 */
bool thread_kill_others(void);

/*
 * After thread_kill_others() in execve, once the new image is in: the
 * caller is an ordinary thread again, with the pid as its tid.
 */
void thread_exec_done(void);

/* Ends the calling thread because its process is ending. Never returns. */
void thread_die(void) __attribute__((noreturn));

/* True if th must leave because another thread is ending the process. */
bool thread_doomed(const struct thread *th);

/*
 * Takes th out of an interruptible wait or sleep, so it passes through
 * signal delivery. Interrupts off.
 */
void thread_kick(struct thread *th);

/*
 * Total CPU ticks of p's threads (those gone included) and its state
 * letter for /proc and ps. Interrupts are turned off here.
 */
uint64_t thread_cpu_ticks(const struct process *p);
char thread_state_letter(const struct process *p);

/* One thread's CPU ticks, and its state letter (R, S, or T when its
 * process is stopped), for /proc/<pid>/task/<tid>. */
uint64_t thread_own_ticks(const struct thread *th);
char thread_letter(const struct thread *th);
