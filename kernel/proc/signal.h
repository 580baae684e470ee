/*
 * Signals: posting, the default actions, user handlers, stopping and
 * continuing.
 *
 * A signal is a bit in the target process's pending set (or one thread's,
 * for tkill and faults), with a siginfo kept beside it; each thread has its
 * own mask. It acts at the next return to user mode
 * (signal_deliver(), which proc_init() registers as the trap layer's step
 * before every way out of the kernel to ring 3): a handler runs (a signal
 * frame is pushed on the user stack, kernel/proc/sigframe.c), or the
 * default action of signal(7) happens - terminate, ignore, stop - unless
 * the process set SIG_IGN. Blocked signals stay pending; SIGKILL and
 * SIGSTOP can be neither blocked nor caught. pid 1 receives only the
 * signals it has a handler for, as on Linux.
 *
 * A system call that a signal interrupts returns -EINTR from its wait;
 * signal_deliver() then turns that into a restart (the call runs again)
 * when no handler ran, or when the handler has SA_RESTART and the call is
 * one Linux restarts.
 *
 * Locking: pending bits, siginfo and the stop state are changed from any
 * context with interrupts off; the actions belong to the process's
 * threads, the alternate stack and the saved mask to each thread's task.
 * See: docs/signals.md
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include <ember/signal.h>

struct process;
struct thread;
struct trap_frame;

#define SIG_BIT(s) (1ull << ((s)-1))

/*
 * Makes sig pending in p with the given siginfo (code, pid, status or
 * address; signo is filled in) and wakes a thread of p that does not block
 * it if it is waiting, so a blocked read or sleep can notice. A SIGCONT
 * continues a stopped p at once. Context: any (interrupts are turned off
 * here).
 */
void signal_post_info(struct process *p, int sig,
                      const struct linux_siginfo *info);

/* signal_post_info() with si_code SI_KERNEL: a signal the kernel sends. */
void signal_post(struct process *p, int sig);

/*
 * th of p has just blocked the signals of set, or is leaving (set: all):
 * for each of them pending for the process, wakes another thread of p
 * that would take it, as Linux's retarget_shared_pending(). Context: any
 * (interrupts are turned off here).
 */
void signal_retarget(struct process *p, const struct thread *th, uint64_t set);

/* As signal_post_info(), for one thread only (tkill, tgkill). */
void signal_post_thread(struct thread *th, int sig,
                        const struct linux_siginfo *info);

/*
 * True if th has a pending signal (its own or its process's) that it does
 * not block, or must leave because its process is ending.
 */
bool signal_pending(const struct thread *th);

/* Drops sig from p's and its threads' pending sets (SIG_IGN). */
void signal_flush(struct process *p, int sig);

/* True if a signal pending for th will kill its process when delivered,
 * or another thread is already ending it. */
bool signal_fatal_pending(const struct thread *th);

/* True if the signal would end the process (default action, not ignored). */
bool signal_is_fatal(const struct process *p, int sig);

/*
 * A ring-3 fault of thread th that maps to sig: if its process has a
 * handler for sig and th does not block it, makes it pending for th with
 * code and addr and returns true (delivery runs the handler). False: the
 * fault must kill. Interrupts off.
 */
bool signal_fault(struct thread *th, int sig, int code, uint64_t addr);

/* Acts on pending unblocked signals before a return to ring 3. */
void signal_deliver(struct trap_frame *f);

/*
 * execve: handlers go back to SIG_DFL, the calling thread's alternate
 * stack is dropped.
 */
void signal_exec_reset(struct process *p);

/*
 * Installs mask as th's blocked set for a wait (ppoll, pselect6,
 * rt_sigsuspend), remembering the old one. Context: th's own task.
 */
void signal_wait_mask(struct thread *th, uint64_t mask);

/*
 * Ends such a wait: puts the old mask back at once, or - when a signal
 * interrupted the wait - after that signal's handler frame is built, so
 * the handler runs under the wait's mask and returns to the old one.
 */
void signal_wait_mask_end(struct thread *th, bool interrupted);

/*
 * rt_sigtimedwait: waits until a signal of set is pending (taking it, and
 * its siginfo into *info), deadline_ns passes (-EAGAIN; UINT64_MAX: never)
 * or another signal arrives (-EINTR). Returns the signal. Context: task.
 */
long signal_wait_for(uint64_t set, uint64_t deadline_ns,
                     struct linux_siginfo *info);

/*
 * The parent's side of a child's stop or continue: wait4's report and
 * SIGCHLD (unless SA_NOCLDSTOP). proc_lock held.
 */
void signal_notify_parent(struct process *child, int code, int status);

/* The signal name for reports ("SIGSEGV"), or "signal". */
const char *signal_name(int sig);

/* ---- the signal frame (kernel/proc/sigframe.c) ---- */

/*
 * Pushes an rt_sigframe for sig on th's user stack (or its alternate stack)
 * holding f's registers, the FPU state, the mask to return to (old_mask)
 * and info, and points f at the handler. 0, or -EFAULT when the frame
 * cannot be written (the process must then die of SIGSEGV).
 * Context: p's own task, interrupts on; may fault pages in.
 */
int sigframe_push(struct thread *th, struct trap_frame *f, int sig,
                  const struct kernel_sigaction *act,
                  const struct linux_siginfo *info, uint64_t old_mask);

/*
 * rt_sigreturn: reads the frame the handler returned through at f's user
 * stack and restores f, the mask and the FPU state from it, after forcing
 * user segments, filtering RFLAGS and checking RIP. Returns the restored
 * RAX, or -EFAULT for a frame that cannot be read or is invalid (the
 * caller kills with SIGSEGV). Context: task, interrupts on.
 */
long sigframe_return(struct thread *th, struct trap_frame *f, bool *bad);

/* True if the user address sp lies on th's alternate signal stack. */
bool sigframe_on_altstack(const struct thread *th, uint64_t sp);
