/*
 * The kernel heap's glue: a heap_source that maps fresh frames at the top
 * of the heap region, and kmalloc & co. under mm_lock.
 *
 * The region starts empty at KHEAP_BASE and grows upward one chunk at a
 * time, each chunk mapped right after the last, so the heap core sees a
 * single region that keeps getting longer (the seed's sbrk). Chunks are at
 * least KHEAP_MIN_GROW so that a run of small allocations maps pages in
 * batches. New pages are not zeroed: kcalloc() zeroes what it hands out,
 * and nothing else promises zeroed memory. The heap never shrinks; freed
 * blocks are reused.
 *
 * Locking: kheap's state is guarded by mm_lock; growing takes it again
 * inside vmm_map() and pmm_alloc(), which nests.
 * See: docs/memory.md
 */
#include "mm/kheap.h"

#include <ember/errno.h>

#include "lib/panic.h"
#include "mm/mm_lock.h"
#include "mm/pmm.h"
#include "mm/vmm.h"

#define KHEAP_MIN_GROW (256u << 10) /* 64 pages per grow at the least */
#define KHEAP_PAGE_FLAGS                                                       \
    (VMM_WRITABLE | VMM_GLOBAL | VMM_NO_EXECUTE | VMM_OWNED)

/* The heap and the end of its mapped part, both guarded by mm_lock. */
static struct {
    struct heap heap;
    struct heap_source src;
    uint64_t top;
} kheap;

/* Unmaps [from, to) of the heap region, freeing the frames. */
static void unmap_range(uint64_t from, uint64_t to)
{
    for (uint64_t va = from; va < to; va += PAGE_SIZE)
        vmm_unmap(vmm_kernel_space(), va);
}

/* heap_source.grow: map len_bytes of fresh frames at the top, or none. */
static void *grow(struct heap_source *src, size_t len_bytes)
{
    uint64_t start = kheap.top;

    (void)src;
    if (KHEAP_LIMIT - start < len_bytes)
        return NULL;
    for (uint64_t off = 0; off < len_bytes; off += PAGE_SIZE) {
        paddr_t frame = pmm_alloc();
        int err = frame ? vmm_map(vmm_kernel_space(), start + off, frame,
                                  KHEAP_PAGE_FLAGS)
                        : -ENOMEM;
        if (err < 0) {
            if (frame)
                pmm_free(frame);
            unmap_range(start, start + off);
            return NULL;
        }
    }
    kheap.top += len_bytes;
    return (void *)(uintptr_t)start;
}

static void report(struct heap_source *src, const char *what, const void *addr)
{
    (void)src;
    panic("heap: %s at %p", what, addr);
}

void kheap_init(void)
{
    kheap.src.grow = grow;
    kheap.src.report = report;
    kheap.src.granule = PAGE_SIZE;
    kheap.src.min_grow = KHEAP_MIN_GROW;
    kheap.top = KHEAP_BASE;
    heap_init(&kheap.heap, &kheap.src);
}

void *kmalloc(size_t size)
{
    uint64_t irq = mm_lock();
    void *p = heap_alloc(&kheap.heap, size);
    mm_unlock(irq);
    return p;
}

void *kmalloc_aligned(size_t size, size_t align)
{
    uint64_t irq = mm_lock();
    void *p = heap_alloc_aligned(&kheap.heap, size, align);
    mm_unlock(irq);
    return p;
}

void *kcalloc(size_t n, size_t size)
{
    uint64_t irq = mm_lock();
    void *p = heap_calloc(&kheap.heap, n, size);
    mm_unlock(irq);
    return p;
}

void *krealloc(void *p, size_t size)
{
    uint64_t irq = mm_lock();
    void *q = heap_realloc(&kheap.heap, p, size);
    mm_unlock(irq);
    return q;
}

void kfree(void *p)
{
    uint64_t irq = mm_lock();
    heap_free(&kheap.heap, p); /* report() panics on any misuse */
    mm_unlock(irq);
}

void kheap_get_stats(struct heap_stats *out)
{
    uint64_t irq = mm_lock();
    heap_stats(&kheap.heap, out);
    mm_unlock(irq);
}

void kheap_check(void)
{
    uint64_t irq = mm_lock();
    heap_check(&kheap.heap); /* report() panics on damage */
    mm_unlock(irq);
}
