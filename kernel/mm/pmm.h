/*
 * The physical frame allocator: 4 KiB frames from the boot memory map.
 *
 * pmm_init() builds the frame bitmap (kernel/mm/bitmap.c) from the
 * Multiboot2 memory map, then keeps back what is already in use: the first
 * MiB (real-mode structures, firmware data), the kernel image, the boot
 * information block, GRUB's modules and the bitmap itself. Frames are
 * handed out one at a time or in contiguous runs (for DMA buffers later).
 * Physical address 0 is never handed out, so it means "no frame".
 *
 * Locking: mm_lock (kernel/mm/mm_lock.h) around every bitmap access.
 * See: docs/memory.md
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "bootinfo.h"
#include "mm/layout.h"

#define PMM_FRAME_SIZE 4096ull

struct pmm_stats {
    uint64_t total_frames;    /* usable frames in the memory map */
    uint64_t used_frames;     /* allocated or kept back (includes reserved) */
    uint64_t free_frames;     /* total - used */
    uint64_t reserved_frames; /* usable frames kept back at boot */
};

/*
 * Builds the allocator from the boot information, whose block sits at
 * info_phys (and is kept back). Panics if the map has no room for the
 * bitmap: there is no kernel without it.
 * Context: boot, once, before vmm_init(); uses the boot page tables.
 */
void pmm_init(const struct bootinfo *bi, paddr_t info_phys);

/*
 * One free frame, next fit. Returns its physical address, or 0 when no frame
 * is free. The frame's contents are whatever was there.
 * Context: any.
 */
paddr_t pmm_alloc(void);

/*
 * `count` physically contiguous frames, the first aligned to `align_frames`
 * frames (a power of two; 1 for none). Returns the first frame's address,
 * or 0 when no such run is free (or count/align make no sense).
 * Context: any.
 */
paddr_t pmm_alloc_run(size_t count, size_t align_frames);

/*
 * Frees a frame from pmm_alloc() (or one frame of a run). Panics with the
 * frame's address on a double free, on a frame that was never the
 * allocator's (reserved at boot or not usable memory), or on an address that
 * is not frame-aligned: each means the kernel lost track of its memory.
 * Context: any.
 */
void pmm_free(paddr_t frame);

/* Frees `count` frames from `first`; panics as pmm_free() does. */
void pmm_free_run(paddr_t first, size_t count);

/*
 * Copy-on-write sharing: pmm_share() records one more owner of an allocated
 * frame; pmm_free() then drops one owner and frees the frame only when the
 * last one lets go. pmm_sharers() counts the owners (1 when not shared).
 * Context: any.
 */
void pmm_share(paddr_t frame);
unsigned pmm_sharers(paddr_t frame);

/*
 * The reclaim hook: when no frame is free, pmm_alloc() and pmm_alloc_run()
 * call hook(frames wanted) once and try again. The hook frees what it can
 * (the page cache's clean pages) and returns how many frames it freed; it
 * must itself refuse when it cannot run in the caller's context. Set by
 * storage_init() (a higher floor: the frame allocator never names it).
 */
void pmm_set_reclaim(uint64_t (*hook)(uint64_t frames));

/* The current counts. Context: any. */
void pmm_get_stats(struct pmm_stats *out);

/* The end of the highest usable frame: what the direct map must cover. */
paddr_t pmm_memory_top(void);
