/*
 * Wait queues: how a task sleeps until something happens, using no CPU.
 *
 * A waiter checks its condition and, if it does not hold yet, blocks on a
 * queue with interrupts off, so the waker (often an interrupt handler)
 * cannot slip in between the check and the block and be lost. WAIT_EVENT()
 * wraps that loop. Wakers call wq_wake_one() or wq_wake_all(), from tasks
 * or interrupt handlers.
 *
 * Locking: interrupts off for every queue operation.
 * See: docs/scheduler.md
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <ember/errno.h>

#include "arch/x86_64/irq.h"

struct task;

struct wait_queue {
    struct task *head; /* interrupts off */
    struct task *tail;
};

#define WAIT_QUEUE_INIT                                                        \
    {                                                                          \
        NULL, NULL                                                             \
    }

/*
 * Blocks the current task on wq until woken. Interrupts must be off; they
 * are off again when it returns. Context: task.
 */
void wq_block(struct wait_queue *wq);

/*
 * As wq_block(), but the task is also made READY (taken off wq) at the
 * first tick at or past deadline_ns, TSC uptime (tsc_ns_since_entry()).
 * The caller tells a timeout from a wake-up by rechecking the clock.
 * Interrupts off. Context: task.
 */
void wq_block_timed(struct wait_queue *wq, uint64_t deadline_ns);

/* Makes the first / every waiter READY. Any context. */
void wq_wake_one(struct wait_queue *wq);
void wq_wake_all(struct wait_queue *wq);

/* Takes a BLOCKED task off its queue and makes it READY. Interrupts off. */
void wq_cancel(struct task *t);

/* Sleeps until cond holds, rechecking it each time wq is woken. */
#define WAIT_EVENT(wq, cond)                                                   \
    do {                                                                       \
        uint64_t wait_flags_ = irq_save();                                     \
        while (!(cond))                                                        \
            wq_block(wq);                                                      \
        irq_restore(wait_flags_);                                              \
    } while (0)

/*
 * As WAIT_EVENT, but gives up when a signal arrives for the calling
 * process: sets err to 0 when cond holds, -EINTR otherwise. For waits a
 * user program may need to interrupt (reads of terminals and pipes, wait4,
 * sleeps); kernel threads are never interrupted.
 */
#define WAIT_EVENT_INTR(wq, cond, err)                                         \
    do {                                                                       \
        uint64_t wait_flags_ = irq_save();                                     \
        (err) = 0;                                                             \
        while (!(cond)) {                                                      \
            if (wait_signal_pending()) {                                       \
                (err) = -EINTR;                                                \
                break;                                                         \
            }                                                                  \
            wq_block(wq);                                                      \
        }                                                                      \
        irq_restore(wait_flags_);                                              \
    } while (0)

/*
 * True if the calling task's process has a signal to act on: the answer of
 * the hook set by wait_set_signal_check(), false before it is set.
 */
bool wait_signal_pending(void);

/* Sets that hook. kernel/proc/ registers it at boot (proc_init()). */
void wait_set_signal_check(bool (*pending)(void));

/*
 * True if the calling task's process has a signal pending that will kill
 * it (SIGKILL, or one it neither handles, ignores nor blocks): long
 * operations that are not waits (a big ftruncate, a long read or write, an
 * exec's load) ask it between bounded steps and end early. The answer of
 * the hook set by wait_set_fatal_check(), false before it is set.
 */
bool wait_fatal_pending(void);
void wait_set_fatal_check(bool (*fatal)(void));
