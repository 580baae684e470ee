/*
 * Futexes: a thread sleeps on a 32-bit word of its process's memory until
 * another thread wakes that word - of the same process, or, for a shared
 * futex in a MAP_SHARED page, of any process that maps the page.
 *
 * private is FUTEX_PRIVATE_FLAG: the key is then (process, address); a
 * shared key is the word's physical address in a MAP_SHARED region and
 * (process, address, shared) elsewhere, so a private wait and a shared
 * wake of one word do not meet, as on Linux (docs/threads.md).
 *
 * Locking: the waiter lists and wake counters are guarded by interrupts
 * being off; the user word is read before, with interrupts on.
 * Context: task; futex_wait() sleeps.
 * See: docs/threads.md
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "mm/layout.h"

struct process;

#define FUTEX_BITSET_ANY 0xffffffffu

/*
 * FUTEX_WAIT: if the word at u_addr still holds val, sleeps until a wake
 * whose bitset meets bitset, deadline_ns (TSC uptime; UINT64_MAX: none)
 * passes, or a signal arrives. 0 (woken; also, rarely, when a wake of
 * another word raced with the check - callers loop, as on Linux),
 * -EAGAIN (the word differs), -ETIMEDOUT, -EINTR, -EFAULT, -EINVAL (not
 * 4-byte aligned, or bitset 0).
 */
long futex_wait(struct process *p, bool private, uaddr_t u_addr, uint32_t val,
                uint32_t bitset, uint64_t deadline_ns);

/*
 * FUTEX_WAKE: wakes up to n waiters on u_addr; returns how many. -EFAULT
 * for a shared futex at an unmapped address.
 */
long futex_wake(struct process *p, bool private, uaddr_t u_addr, int n,
                uint32_t bitset);

/*
 * FUTEX_REQUEUE: wakes up to n waiters on u_addr and moves up to
 * n_move of the rest to wait on u_to; returns how many were woken and
 * moved. FUTEX_CMP_REQUEUE first checks the word at u_addr holds val
 * (check set): -EAGAIN otherwise.
 */
long futex_requeue(struct process *p, bool private, uaddr_t u_addr, int n,
                   uaddr_t u_to, int n_move, bool check, uint32_t val);
