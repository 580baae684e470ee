/*
 * Wait queues: FIFO lists of BLOCKED tasks.
 *
 * A task is on at most one queue at a time (waiting_on says which). Waking
 * moves a task from the queue to the run queue; it then rechecks its
 * condition in WAIT_EVENT()'s loop, so a wake-up with nothing to do for it
 * costs one trip round the loop, never a missed event.
 *
 * The scheduler knows nothing of processes or signals: whether a wait may
 * be interrupted is asked through the hook wait_set_signal_check().
 *
 * Locking: interrupts off (KASSERTed), since interrupt handlers wake.
 * See: docs/scheduler.md
 */
#include "sched/wait.h"

#include "arch/x86_64/cpu.h"
#include "lib/portable.h"
#include "sched/sched.h"
#include "sched/task.h"

/*
 * Asked by interruptible waits: does the running task's process have a
 * signal to act on? Processes live two floors up (kernel/proc/), so they
 * register the question at boot; until then (and for kernel threads) no
 * wait is interrupted. Written once at boot, read with interrupts off.
 */
static bool (*signal_check)(void);
static bool (*fatal_check)(void); /* the same, for fatal signals */

void wait_set_signal_check(bool (*pending)(void))
{
    signal_check = pending;
}

void wait_set_fatal_check(bool (*fatal)(void))
{
    fatal_check = fatal;
}

/* Marks the current task BLOCKED at the tail of wq. Interrupts off. */
static void enqueue(struct wait_queue *wq)
{
    KASSERT(!(read_rflags() & RFLAGS_IF));
    struct task *t = task_current();

    t->state = TASK_BLOCKED;
    t->waiting_on = wq;
    t->next_waiting = NULL;
    if (wq->tail)
        wq->tail->next_waiting = t;
    else
        wq->head = t;
    wq->tail = t;
}

void wq_block(struct wait_queue *wq)
{
    enqueue(wq);
    sched_switch();
}

void wq_block_timed(struct wait_queue *wq, uint64_t deadline_ns)
{
    enqueue(wq);
    sched_add_deadline(deadline_ns);
    sched_switch();
}

/* A timed waiter woken before its deadline leaves the sleep list. */
static void untime(struct task *t)
{
    if (t->timed_block) {
        t->timed_block = false;
        sched_cancel_sleep(t);
    }
}

static struct task *pop(struct wait_queue *wq)
{
    struct task *t = wq->head;
    if (t) {
        untime(t);
        wq->head = t->next_waiting;
        if (!wq->head)
            wq->tail = NULL;
        t->next_waiting = NULL;
        t->waiting_on = NULL;
    }
    return t;
}

void wq_cancel(struct task *t)
{
    struct wait_queue *wq = t->waiting_on;
    if (!wq)
        return;
    for (struct task **p = &wq->head; *p; p = &(*p)->next_waiting) {
        if (*p == t) {
            *p = t->next_waiting;
            if (wq->tail == t) {
                /* Find the new tail: the last task left on the queue. */
                struct task *last = wq->head;
                while (last && last->next_waiting)
                    last = last->next_waiting;
                wq->tail = last;
            }
            break;
        }
    }
    t->next_waiting = NULL;
    t->waiting_on = NULL;
    untime(t);
    sched_make_ready(t);
}

void wq_wake_one(struct wait_queue *wq)
{
    uint64_t flags = irq_save();
    struct task *t = pop(wq);
    if (t)
        sched_make_ready(t);
    irq_restore(flags);
}

void wq_wake_all(struct wait_queue *wq)
{
    uint64_t flags = irq_save();
    struct task *t;
    while ((t = pop(wq)) != NULL)
        sched_make_ready(t);
    irq_restore(flags);
}

bool wait_signal_pending(void)
{
    return signal_check && signal_check();
}

bool wait_fatal_pending(void)
{
    return fatal_check && fatal_check();
}
