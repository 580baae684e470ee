/*
 * The physical frame allocator: the boot memory map turned into a frame
 * bitmap, and the kernel's way to take and return frames.
 *
 * The bitmap itself (kernel/mm/bitmap.c) is portable and knows nothing of
 * Multiboot2; this file is the glue. pmm_init() finds the highest usable
 * address, sizes the two bit arrays for every frame below it, and puts them
 * in the first usable stretch of memory that clashes with nothing the
 * kernel still needs and that the boot page tables reach (below 4 GiB),
 * because the real page tables do not exist yet. The arrays are filled
 * with memset rather than zeroing memory: 40 KiB for 1 GiB of RAM, so even a
 * 4 GiB machine spends well under a millisecond here.
 *
 * Locking: every bitmap access holds mm_lock (interrupts off).
 * See: docs/memory.md
 */
#include "mm/pmm.h"

#include <ember/errno.h>

#include "lib/log.h"
#include "lib/panic.h"
#include "mm/bitmap.h"
#include "mm/mm_lock.h"

#define LOW_MEMORY_END 0x100000ull /* the first MiB: BIOS data, EBDA, ROMs */
#define MAX_KEEP       (4 + BOOTINFO_MAX_MODULES)

/* A physical range [start, end). */
struct span {
    paddr_t start, end;
};

/* The allocator's state: map is guarded by mm_lock, top is set once. */
static struct {
    struct bitmap map;
    paddr_t top;     /* end of the highest usable frame */
    uint16_t *extra; /* per frame: sharers beyond the first (mm_lock) */
    uint64_t (*reclaim)(uint64_t frames); /* set once at boot */
} pmm;

static paddr_t align_down(paddr_t x)
{
    return x & ~(PMM_FRAME_SIZE - 1);
}

static paddr_t align_up(paddr_t x)
{
    return align_down(x + PMM_FRAME_SIZE - 1);
}

/* What must survive: the first MiB, the kernel, the boot data, modules. */
static size_t collect_keep(const struct bootinfo *bi, paddr_t info_phys,
                           struct span *keep)
{
    size_t n = 0;

    keep[n++] = (struct span){0, LOW_MEMORY_END};
    keep[n++] = (struct span){kernel_virt_to_phys(__kernel_start),
                              kernel_virt_to_phys(__kernel_end)};
    keep[n++] = (struct span){info_phys, info_phys + bi->total_size};
    for (uint32_t i = 0; i < bi->module_count; i++)
        keep[n++] = (struct span){bi->modules[i].start, bi->modules[i].end};
    for (size_t i = 0; i < n; i++) {
        keep[i].start = align_down(keep[i].start);
        keep[i].end = align_up(keep[i].end);
    }
    return n;
}

/*
 * The lowest frame-aligned address with `bytes` of usable memory that
 * overlaps nothing in keep and lies below the boot tables' 4 GiB, or 0.
 */
static paddr_t find_home(const struct bootinfo *bi, uint64_t bytes,
                         const struct span *keep, size_t nkeep)
{
    for (uint32_t i = 0; i < bi->mmap_count; i++) {
        const struct bootinfo_mmap_entry *e = &bi->mmap[i];
        if (e->type != BOOTINFO_MEM_USABLE)
            continue;
        paddr_t c = align_up(e->base);
        paddr_t end = align_down(e->base + e->length);
        if (end > BOOT_HHDM_LIMIT)
            end = BOOT_HHDM_LIMIT;
        size_t k = 0;
        while (c < end && end - c >= bytes && k < nkeep) {
            if (c < keep[k].end && keep[k].start < c + bytes) {
                c = keep[k].end; /* clash: try just past it, all again */
                k = 0;
            } else {
                k++;
            }
        }
        if (k == nkeep && c < end && end - c >= bytes)
            return c;
    }
    return 0;
}

static void keep_back(paddr_t start, paddr_t end)
{
    bitmap_mark_reserved(&pmm.map, start / PMM_FRAME_SIZE,
                         (end - start) / PMM_FRAME_SIZE);
}

void pmm_init(const struct bootinfo *bi, paddr_t info_phys)
{
    struct span keep[MAX_KEEP];

    for (uint32_t i = 0; i < bi->mmap_count; i++) {
        const struct bootinfo_mmap_entry *e = &bi->mmap[i];
        paddr_t end = align_down(e->base + e->length);
        if (e->type == BOOTINFO_MEM_USABLE && end > pmm.top)
            pmm.top = end;
    }
    if (pmm.top == 0)
        panic("pmm: the memory map lists no usable memory");

    uint64_t frames = pmm.top / PMM_FRAME_SIZE;
    size_t words = bitmap_words(frames);
    /* Two bit arrays, then the per-frame share counts (copy-on-write). */
    uint64_t bytes =
        align_up(2 * words * sizeof(uint64_t) + frames * sizeof(uint16_t));
    size_t nkeep = collect_keep(bi, info_phys, keep);
    paddr_t home = find_home(bi, bytes, keep, nkeep);
    if (home == 0)
        panic("pmm: no room below 4 GiB for a %lu KiB frame bitmap",
              (unsigned long)(bytes >> 10));

    uint64_t *used = hhdm_ptr(home);
    bitmap_init(&pmm.map, used, used + words, frames);
    pmm.extra = (uint16_t *)(used + 2 * words);
    memset(pmm.extra, 0, frames * sizeof(uint16_t));
    for (uint32_t i = 0; i < bi->mmap_count; i++) {
        const struct bootinfo_mmap_entry *e = &bi->mmap[i];
        if (e->type != BOOTINFO_MEM_USABLE)
            continue;
        paddr_t start = align_up(e->base);
        paddr_t end = align_down(e->base + e->length);
        if (end > start)
            bitmap_mark_free(&pmm.map, start / PMM_FRAME_SIZE,
                             (end - start) / PMM_FRAME_SIZE);
    }
    for (size_t i = 0; i < nkeep; i++)
        keep_back(keep[i].start, keep[i].end);
    keep_back(home, home + bytes);

    klog(LOG_INFO,
         "pmm: %lu MiB usable in %lu frames, %lu KiB kept back; "
         "bitmap at %#lx (%lu KiB)",
         (unsigned long)(pmm.map.usable * PMM_FRAME_SIZE >> 20),
         (unsigned long)pmm.map.usable,
         (unsigned long)(pmm.map.kept * PMM_FRAME_SIZE >> 10),
         (unsigned long)home, (unsigned long)(bytes >> 10));
}

void pmm_set_reclaim(uint64_t (*hook)(uint64_t frames))
{
    pmm.reclaim = hook;
}

static paddr_t alloc_run(size_t count, size_t align_frames)
{
    uint64_t frame;
    uint64_t flags = mm_lock();
    int err = count == 1
                  ? bitmap_alloc(&pmm.map, &frame)
                  : bitmap_alloc_run(&pmm.map, count, align_frames, &frame);
    mm_unlock(flags);
    return err < 0 ? 0 : frame * PMM_FRAME_SIZE;
}

/* Out of frames: the hook runs without mm_lock, then one more try. */
static paddr_t alloc_or_reclaim(size_t count, size_t align_frames)
{
    paddr_t p = alloc_run(count, align_frames);
    if (p == 0 && pmm.reclaim && pmm.reclaim(count) > 0)
        p = alloc_run(count, align_frames);
    return p;
}

paddr_t pmm_alloc(void)
{
    return alloc_or_reclaim(1, 1);
}

paddr_t pmm_alloc_run(size_t count, size_t align_frames)
{
    return alloc_or_reclaim(count, align_frames);
}

/* Frame by frame, so a panic names the exact frame that was wrong. */
void pmm_free_run(paddr_t first, size_t count)
{
    if (first & (PMM_FRAME_SIZE - 1))
        panic("pmm: free of %#lx, which is not a frame address",
              (unsigned long)first);
    for (size_t i = 0; i < count; i++) {
        paddr_t frame = first + i * PMM_FRAME_SIZE;
        uint64_t n = frame / PMM_FRAME_SIZE;
        uint64_t flags = mm_lock();
        if (n < pmm.map.frames && pmm.extra[n] > 0) {
            pmm.extra[n]--; /* a sharer let go; the frame stays */
            mm_unlock(flags);
            continue;
        }
        int err = bitmap_free(&pmm.map, n);
        mm_unlock(flags);
        if (err == -EINVAL)
            panic("pmm: frame %#lx freed twice", (unsigned long)frame);
        if (err == -EPERM)
            panic("pmm: frame %#lx freed, but it is reserved (never "
                  "allocated)",
                  (unsigned long)frame);
        if (err < 0)
            panic("pmm: frame %#lx freed, but it is past the end of memory",
                  (unsigned long)frame);
    }
}

void pmm_free(paddr_t frame)
{
    pmm_free_run(frame, 1);
}

void pmm_share(paddr_t frame)
{
    uint64_t n = frame / PMM_FRAME_SIZE;
    uint64_t flags = mm_lock();
    KASSERT(n < pmm.map.frames && bitmap_is_used(&pmm.map, n) == 1);
    KASSERT(pmm.extra[n] < UINT16_MAX);
    pmm.extra[n]++;
    mm_unlock(flags);
}

unsigned pmm_sharers(paddr_t frame)
{
    uint64_t n = frame / PMM_FRAME_SIZE;
    uint64_t flags = mm_lock();
    unsigned s = n < pmm.map.frames ? pmm.extra[n] + 1u : 1u;
    mm_unlock(flags);
    return s;
}

void pmm_get_stats(struct pmm_stats *out)
{
    uint64_t flags = mm_lock();
    out->total_frames = pmm.map.usable;
    out->free_frames = pmm.map.free;
    out->used_frames = pmm.map.usable - pmm.map.free;
    out->reserved_frames = pmm.map.kept;
    mm_unlock(flags);
}

paddr_t pmm_memory_top(void)
{
    return pmm.top;
}
