/*
 * Spinlocks for data that interrupt handlers share with tasks.
 *
 * Ember runs on one CPU, so taking a spinlock means turning interrupts off
 * (the only other "CPU" that could race is an interrupt handler); the lock
 * word is kept so a lock taken twice - a certain deadlock on a real SMP
 * machine - is caught by a KASSERT, and so code reads as it would on SMP.
 * Hold a spinlock only for a few lines: never across a sleep, a user copy
 * or a disk transfer.
 *
 * Context: any.
 * See: docs/scheduler.md
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "arch/x86_64/irq.h"
#include "lib/portable.h"

struct spinlock {
    volatile uint32_t locked;
    uint64_t saved_flags; /* RFLAGS before spin_lock(); restored on unlock */
    const char *name;
};

#define SPINLOCK_INIT(n)                                                       \
    {                                                                          \
        0, 0, n                                                                \
    }

static inline void spin_lock(struct spinlock *l)
{
    uint64_t flags = irq_save();
    KASSERT(!l->locked); /* taken twice: a deadlock on SMP */
    l->locked = 1;
    l->saved_flags = flags;
}

static inline void spin_unlock(struct spinlock *l)
{
    uint64_t flags = l->saved_flags;
    KASSERT(l->locked);
    l->locked = 0;
    irq_restore(flags);
}

static inline bool spin_held(const struct spinlock *l)
{
    return l->locked != 0;
}
