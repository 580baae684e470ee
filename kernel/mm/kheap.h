/*
 * The kernel heap: kmalloc and friends, over the portable heap core
 * (kernel/mm/heap.c) fed with fresh pages at the top of the heap region.
 *
 * kmalloc(size) and kfree(p) are declared in lib/portable.h, because
 * portable code may call them; this header adds the rest. Every block is
 * 16-byte aligned. A misused pointer (double free, a pointer the heap never
 * gave out, a trampled header) is a kernel bug: kfree() and krealloc()
 * panic with the address. Running out of memory is not: the calls return
 * NULL and the caller decides (usually -ENOMEM).
 *
 * Locking: mm_lock around every heap call.
 * See: docs/memory.md
 */
#pragma once

#include <stddef.h>

#include "lib/portable.h"
#include "mm/heap.h"

/* Sets up the empty heap at KHEAP_BASE. Context: boot, after vmm_init(). */
void kheap_init(void);

/*
 * `size` bytes aligned to `align` (a power of two), freed with kfree().
 * NULL when memory is short or align is not a power of two.
 * Context: any.
 */
void *kmalloc_aligned(size_t size, size_t align);

/* n * size zeroed bytes; NULL when short or when n * size overflows. */
void *kcalloc(size_t n, size_t size);

/*
 * Resizes p as heap_realloc() does: NULL p allocates, size 0 frees and
 * returns NULL, a NULL return for lack of memory leaves p untouched.
 * Context: any.
 */
void *krealloc(void *p, size_t size);

/* The heap's counters (bytes in use, free, size, largest free block). */
void kheap_get_stats(struct heap_stats *out);

/* Full consistency walk (heap_check()); panics on damage. For tests. */
void kheap_check(void);
