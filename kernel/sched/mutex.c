/*
 * Sleeping mutexes, built on a wait queue.
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
    while (m->owner)
        wq_block(&m->waiters);
    m->owner = self;
    self->mutexes_held++;
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
    m->owner = NULL;
    task_current()->mutexes_held--;
    irq_restore(flags);
    wq_wake_one(&m->waiters);
}

bool mutex_held(const struct mutex *m)
{
    return m->owner == task_current();
}
