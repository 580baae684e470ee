/*
 * Signals with their default actions (no user handlers yet).
 *
 * A signal is a bit in the target process's pending set. It acts at the
 * next return to user mode (signal_deliver(), which proc_init() registers
 * as the trap layer's step before every way out of the kernel to ring 3):
 * terminate, or be ignored, as signal(7) says for its default action, unless
 * the process set SIG_IGN. Blocked signals stay pending until unblocked;
 * SIGKILL cannot be blocked or ignored. Stop and continue signals are not
 * supported yet and are ignored. pid 1 receives only signals it has a handler
 * for - and no process has one yet - so no signal ends init, as on Linux.
 *
 * Locking: pending bits are set from any context, interrupt handlers
 * included, with interrupts off; blocked and ignored masks belong to the
 * process's own task.
 * See: docs/syscalls.md
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

struct process;
struct trap_frame;

#define SIG_BIT(s) (1ull << ((s)-1))

/*
 * Makes sig pending in p and wakes p's task if it is waiting, so a blocked
 * read or sleep can notice. Context: any (interrupts are turned off here).
 */
void signal_post(struct process *p, int sig);

/* True if p has a pending signal that is not blocked. */
bool signal_pending(const struct process *p);

/* True if the signal would end the process (default action, not ignored). */
bool signal_is_fatal(const struct process *p, int sig);

/* Acts on pending unblocked signals before a return to ring 3. */
void signal_deliver(struct trap_frame *f);

/*
 * Installs mask as p's blocked set for a wait (ppoll, pselect6,
 * rt_sigsuspend), remembering the old one. Context: p's own task.
 */
void signal_wait_mask(struct process *p, uint64_t mask);

/*
 * Ends such a wait: puts the old mask back at once, or - when a signal
 * interrupted the wait - after that signal's handler frame is built, so
 * the handler runs under the wait's mask and returns to the old one.
 */
void signal_wait_mask_end(struct process *p, bool interrupted);

/* The signal name for reports ("SIGSEGV"), or "signal". */
const char *signal_name(int sig);
