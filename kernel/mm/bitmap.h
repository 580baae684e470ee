/*
 * The frame bitmap: which 4 KiB frames are free, one bit per frame, and the
 * next-fit search over it. The portable core of kernel/mm/pmm.c.
 *
 * Frames are numbered from physical address 0 (frame n is at n * 4096), so a
 * frame number needs no table to become an address. The core knows nothing
 * of memory maps or pages: pmm.c describes usable memory with
 * bitmap_mark_free() and takes back what the kernel needs with
 * bitmap_mark_reserved(); the host test does the same with a fake map.
 *
 * Two arrays of bits, both supplied by the caller:
 *   used     - 1 when the frame is allocated or reserved; the allocator's map.
 *   reserved - 1 when the frame was never the allocator's to give: a hole in
 *              the memory map, firmware, the kernel image, the bitmaps
 *              themselves. Written only while the map is built, it lets
 *              bitmap_free() tell a double free from a free of a frame that
 *              was never handed out, which a single bit cannot.
 *
 * Locking: none inside; the caller serialises (pmm.c holds mm_lock).
 * Portable: also built into tests/host/test_pmm.c.
 * See: docs/memory.md
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#define BITMAP_BITS_PER_WORD 64

struct bitmap {
    uint64_t *used;     /* bit set: allocated or reserved */
    uint64_t *reserved; /* bit set: not the allocator's to hand out */
    uint64_t frames;    /* frames described, numbered 0..frames-1 */
    uint64_t cursor;    /* next-fit: the next search starts here */
    uint64_t usable;    /* frames ever marked free: "total" */
    uint64_t free;      /* frames free right now */
    uint64_t kept;      /* usable frames later reserved (kernel, ...) */
};

/* How many uint64_t words one of the two arrays needs for `frames` frames. */
size_t bitmap_words(uint64_t frames);

/*
 * Sets up b over the caller's arrays (bitmap_words(frames) words each) with
 * every frame reserved: nothing is free until bitmap_mark_free() says so.
 * Context: any; does not allocate.
 */
void bitmap_init(struct bitmap *b, uint64_t *used, uint64_t *reserved,
                 uint64_t frames);

/*
 * Makes frames [first, first + count) free, clipped to the bitmap. Frames
 * already free are left alone, so overlapping calls count each frame once.
 * Call it for every usable range before any bitmap_mark_reserved().
 */
void bitmap_mark_free(struct bitmap *b, uint64_t first, uint64_t count);

/*
 * Takes frames [first, first + count) out of the allocator for good (clipped
 * to the bitmap); free ones among them stop counting as free.
 */
void bitmap_mark_reserved(struct bitmap *b, uint64_t first, uint64_t count);

/*
 * Allocates one frame, searching from the cursor (next fit) and wrapping
 * once. Returns 0 and the frame number in *out, or -ENOMEM when none is free.
 */
int bitmap_alloc(struct bitmap *b, uint64_t *out);

/*
 * Allocates `count` consecutive frames whose first frame number is a
 * multiple of `align` (a power of two, 1 for none), next fit as above.
 * Returns 0 and the first frame in *out; -EINVAL for count 0 or a bad
 * align; -ENOMEM when no such run is free.
 */
int bitmap_alloc_run(struct bitmap *b, uint64_t count, uint64_t align,
                     uint64_t *out);

/*
 * Frees one allocated frame. Returns 0; -ERANGE for a frame past the end;
 * -EPERM for a reserved frame; -EINVAL for a frame that is already free
 * (a double free). On an error nothing changes.
 */
int bitmap_free(struct bitmap *b, uint64_t frame);

/*
 * Frees `count` frames from `first`, checking all of them before changing
 * any. Returns 0 or the first error bitmap_free() would give.
 */
int bitmap_free_run(struct bitmap *b, uint64_t first, uint64_t count);

/* 1 if the frame is allocated or reserved, 0 if free (or past the end). */
int bitmap_is_used(const struct bitmap *b, uint64_t frame);
