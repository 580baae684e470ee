/*
 * Sleeping mutexes: for long critical sections (a filesystem operation, a
 * disk transfer), where waiters must sleep instead of spinning or keeping
 * interrupts off.
 *
 * Context: task only (mutex_lock sleeps).
 * See: docs/scheduler.md
 */
#pragma once

#include <stdbool.h>

#include "sched/wait.h"

struct task;

struct mutex {
    struct task *owner; /* interrupts off */
    struct wait_queue waiters;
    const char *name;
};

#define MUTEX_INIT(n)                                                          \
    {                                                                          \
        NULL, WAIT_QUEUE_INIT, n                                               \
    }

/* Waits (sleeping) until the mutex is free, then takes it. */
void mutex_lock(struct mutex *m);

/* Takes the mutex if it is free and returns true; never sleeps. */
bool mutex_trylock(struct mutex *m);

/* Releases a mutex the caller holds and wakes one waiter. */
void mutex_unlock(struct mutex *m);

/* True if the calling task holds m (for KASSERTs). */
bool mutex_held(const struct mutex *m);
