/*
 * The memory manager's one lock: interrupts off on the one CPU Ember runs.
 *
 * The frame allocator, the page tables and the heap are each reached from
 * tasks and, later, from interrupt handlers (a driver's kmalloc). With one
 * CPU, turning interrupts off is all the mutual exclusion needed; the saved
 * flags make the lock nest, so the heap can hold it while it grows through
 * the page tables and the frame allocator, which take it again. It is
 * irq_save() under a name that says what it protects, so that when Ember
 * gains a second CPU only this file becomes a spinlock.
 *
 * Context: any; never sleep while holding it.
 * See: docs/memory.md
 */
#pragma once

#include <stdint.h>

#include "arch/x86_64/irq.h"

/* Turns interrupts off and returns what to hand to mm_unlock(). */
static inline uint64_t mm_lock(void)
{
    return irq_save();
}

/* Turns interrupts back on if they were on at the matching mm_lock(). */
static inline void mm_unlock(uint64_t flags)
{
    irq_restore(flags);
}
