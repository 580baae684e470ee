/*
 * The one way into user memory: copies that check their range and turn a
 * bad address into -EFAULT instead of a kernel fault.
 *
 * Each checks that [u, u + len) does not wrap and ends at or below
 * USER_TOP, then copies. A page not yet present is brought in by the same
 * page-fault path the program itself would take (kernel/mm/uvm.c); a page
 * that cannot be (unmapped, or read-only for a write) makes the copy return
 * -EFAULT. Syscall handlers copy in once, check the copy and use the copy.
 *
 * Rule, KASSERTed in each copy: no lock may be held across a user copy (a
 * fault may sleep, and a file-backed page would need the filesystem's
 * lock). Interrupts must be on (no spinlock) and the task must hold no
 * mutex (each task counts the mutexes it holds).
 *
 * Context: task, with interrupts on.
 * See: docs/usermode.md
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "mm/layout.h"

/* 0 or -EFAULT. */
int user_copy_in(void *dst, uaddr_t u_src, size_t len);
int user_copy_out(uaddr_t u_dst, const void *src, size_t len);

/*
 * Copies a NUL-terminated string of at most cap - 1 characters. Returns its
 * length, -EFAULT, or -ENAMETOOLONG.
 */
long user_copy_str(char *dst, uaddr_t u_src, size_t cap);

/*
 * 0 if every page of [u, u + len) can be written now (bringing pages in as
 * a write would), else -EFAULT. For handlers that consume something (a
 * directory's entries) before they copy it out, so that a bad buffer loses
 * nothing. Ember's processes have one thread, so nothing can unmap the
 * range between the probe and the copy.
 */
int user_probe_writable(uaddr_t u, size_t len);

/*
 * Sets how the lock rule above counts the calling task's mutexes (the
 * scheduler registers it in sched_init()). Boot.
 */
void user_copy_set_mutex_count(unsigned (*held)(void));

/* True if [u, u + len) lies inside the user half without wrapping. */
bool user_range_ok(uaddr_t u, size_t len);

/*
 * For the page-fault handler: if rip is inside a user copy, returns the
 * address to resume at so that the copy returns -EFAULT; otherwise 0.
 */
uint64_t user_copy_fixup(uint64_t rip);
