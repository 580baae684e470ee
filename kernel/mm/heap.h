/*
 * The heap core: a free-list allocator over memory it asks for in chunks.
 * The portable half of kmalloc (kernel/mm/kheap.c is the kernel half).
 *
 * The heap knows nothing of pages: when no free block fits, it calls its
 * source's grow() for more bytes, like a process calling sbrk(). In the
 * kernel grow() maps fresh frames at the top of the heap's virtual region,
 * so every chunk lands right after the last one and the heap stays one
 * region; on the host the tests hand it malloc'd arenas, which may land
 * anywhere, so the core also keeps a list of separate regions.
 *
 * Inside a region, memory is a row of blocks, each a 16-byte header (size,
 * flags and a check word) and its payload. Free blocks also hold list links
 * and a footer with their size, so freeing a block can merge it with both
 * neighbours at once (boundary tags, Knuth TAOCP vol. 1, 2.5). Free blocks
 * sit on one list, newest first; allocation takes the first that fits
 * (first fit) and splits off the rest. Every payload is 16-byte aligned.
 *
 * Locking: none inside; kheap.c holds mm_lock around every call.
 * Portable: also built into tests/host/test_heap.c.
 * See: docs/memory.md
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#define HEAP_ALIGN 16 /* every payload: enough for any scalar type */

/*
 * Where a heap gets its memory, and how it reports a broken heap. A source
 * with state of its own embeds this struct first (see tests/host/).
 */
struct heap_source {
    /*
     * Returns len_bytes (a multiple of granule) of fresh memory, aligned to
     * HEAP_ALIGN, or NULL when there is no more. Memory right after the
     * previous chunk extends that region; anything else starts a new one.
     */
    void *(*grow)(struct heap_source *src, size_t len_bytes);
    /*
     * Called with what went wrong ("double free", "corrupted block header",
     * ...) and the address involved. The kernel panics; a host test may
     * record it and return, and the heap call then fails without touching
     * the heap.
     */
    void (*report)(struct heap_source *src, const char *what, const void *addr);
    size_t granule;  /* grow() sizes are multiples of this (a power of 2) */
    size_t min_grow; /* and at least this, so growth comes in few steps */
};

struct heap_region; /* a run of memory from one or more adjacent grows */
struct heap_free;   /* a free block's header, links included */

struct heap {
    struct heap_source *src;
    struct heap_region *regions; /* newest first */
    struct heap_free *free_list; /* every free block, newest first */
    size_t size_bytes;           /* all memory grow() gave us */
    size_t used_bytes;           /* blocks handed out, headers included */
    size_t free_bytes;           /* free blocks, headers included */
    size_t blocks_in_use;
    size_t grows; /* successful grow() calls */
};

struct heap_stats {
    size_t size_bytes;   /* = used + free + region bookkeeping */
    size_t used_bytes;   /* allocated blocks, with their headers */
    size_t free_bytes;   /* free blocks, with their headers */
    size_t largest_free; /* the biggest payload one call could get now */
    size_t blocks_in_use;
    size_t free_blocks;
    size_t regions;
    size_t grows;
};

/* Starts an empty heap over src; nothing is asked for until the first use. */
void heap_init(struct heap *h, struct heap_source *src);

/*
 * Returns a block of at least `size` bytes aligned to HEAP_ALIGN, or NULL
 * when the source has no more memory (or size is absurd). size 0 gives a
 * minimum block, which must be freed like any other.
 */
void *heap_alloc(struct heap *h, size_t size);

/*
 * As heap_alloc(), aligned to `align` (a power of two; values below
 * HEAP_ALIGN mean HEAP_ALIGN). NULL also for a bad align. Freed with
 * heap_free() like any block.
 */
void *heap_alloc_aligned(struct heap *h, size_t size, size_t align);

/* n * size zeroed bytes, or NULL (also when n * size overflows). */
void *heap_calloc(struct heap *h, size_t n, size_t size);

/*
 * Resizes the block at p, in place when it can, and returns the block
 * (which may have moved; the first min(old, new) bytes are kept). p NULL
 * acts as heap_alloc(size). size 0 frees p and returns NULL. On NULL for
 * lack of memory, p is untouched and still owned by the caller. A moved
 * block is only HEAP_ALIGN-aligned, whatever p was.
 */
void *heap_realloc(struct heap *h, void *p, size_t size);

/*
 * Frees the block at p (NULL is ignored). Returns 0, or -EINVAL after
 * reporting to the source: p is not a block this heap handed out (outside
 * its regions, misaligned, or no valid header there), the block is already
 * free (a double free), or its header or the next block's was overwritten.
 */
int heap_free(struct heap *h, void *p);

/* The payload bytes usable in the block at p (at least what was asked). */
size_t heap_block_size(struct heap *h, const void *p);

/* Fills *out. Walks the free list for largest_free, so O(free blocks). */
void heap_stats(const struct heap *h, struct heap_stats *out);

/*
 * Walks every block of every region and checks headers, footers, the free
 * list and the counters against each other. Returns 0, or -EUCLEAN after
 * reporting the first inconsistency. For tests: O(blocks).
 */
int heap_check(struct heap *h);
