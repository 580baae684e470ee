/*
 * Sleeping mutexes, built on a wait queue.
 *
 * Unlocking hands the mutex straight to the first waiter (it is the owner
 * when it wakes), rather than freeing it for whoever runs next. On one CPU
 * the unlocking task runs on, and would take a free mutex again before any
 * waiter ran: a task that works in bounded steps, unlocking between them,
 * would then starve everyone else. With the hand-off, waiters are served
 * in the order they came (issue #16).
 *
 * Locking: the owner field and the queue are guarded by interrupts being
 * off for a few instructions; the mutex itself may be held for as long as
 * the work takes, with interrupts on.
 * Context: task (mutex_lock may sleep).
 * See: docs/scheduler.md
 */
#include "sched/mutex.h"

#include "lib/portable.h"
#include "sched/task.h"

void mutex_lock(struct mutex *m)
{
    struct task *self = task_current();
    KASSERT(m->owner != self); /* not recursive */
    uint64_t flags = irq_save();
    /* A waiter that a signal took off the queue (wq_cancel()) queues
     * again; one that was handed the mutex owns it already. */
    while (m->owner != NULL && m->owner != self)
        wq_block(&m->waiters);
    if (m->owner == NULL) {
        m->owner = self;
        self->mutexes_held++;
    }
    irq_restore(flags);
}

bool mutex_trylock(struct mutex *m)
{
    struct task *self = task_current();
    uint64_t flags = irq_save();
    bool got = m->owner == NULL;
    if (got) {
        m->owner = self;
        self->mutexes_held++;
    }
    irq_restore(flags);
    return got;
}

void mutex_unlock(struct mutex *m)
{
    uint64_t flags = irq_save();
    KASSERT(m->owner == task_current());
    task_current()->mutexes_held--;
    struct task *next = m->waiters.head;
    m->owner = next; /* NULL: nobody waits */
    if (next) {
        next->mutexes_held++;
        wq_wake_one(&m->waiters); /* wakes `next`, the head */
    }
    irq_restore(flags);
}

bool mutex_held(const struct mutex *m)
{
    return m->owner == task_current();
}
