/*
 * The heap core: first fit over one free list, boundary tags for merging,
 * growth through the source's grow().
 *
 * A block is a header and a payload:
 *
 *   header  size_flags  the block's size in bytes (a multiple of 16, header
 *                       included) and two flags in the low bits
 *           check       HEAP_MAGIC ^ size_flags ^ the header's address
 *   payload             what the caller gets; in a free block it starts
 *                       with the list links and ends with a footer holding
 *                       the size again
 *
 * The check word is how heap_free() tells a real block from anything else:
 * an overrun that tramples a header, or a pointer the heap never handed
 * out, leaves a word that does not match. The flags are USED and PREV_FREE
 * (the block just before this one is free, and its footer gives its size).
 * Merged-away headers are overwritten with a "dead" check word, so a second
 * free of a block that was merged into its neighbour is still recognised
 * as a double free.
 *
 * A region is a header (struct heap_region), a row of blocks, and an end
 * sentinel: a used block of size 0, so merging forward stops there. The
 * invariants heap_check() verifies: blocks tile each region exactly, no two
 * free blocks are adjacent, every free block is on the list once, and the
 * counters add up.
 *
 * Locking: none inside; kheap.c holds mm_lock around every call.
 * Portable: also built into tests/host/test_heap.c.
 * See: docs/memory.md
 */
#include "mm/heap.h"

#include <ember/errno.h>

#include "lib/portable.h"

#define HEAP_MAGIC     0x5eedb10c4ea9c0deull /* any odd-looking constant */
#define HEAP_DEAD      0xdeadb10cdeadb10cull
#define FLAG_USED      1ull
#define FLAG_PREV_FREE 2ull
#define FLAG_MASK      (HEAP_ALIGN - 1)
#define HDR_BYTES      16 /* sizeof(struct heap_block) */
#define FOOTER_BYTES   8
#define MIN_BLOCK      48 /* header + two links + footer, rounded to 16 */
#define REGION_BYTES   32 /* sizeof(struct heap_region), rounded to 16 */
#define SENTINEL_BYTES HDR_BYTES
#define MAX_REQUEST    (SIZE_MAX / 4) /* beyond this, arithmetic could wrap */

struct heap_block {
    uint64_t size_flags;
    uint64_t check;
};

struct heap_free {
    struct heap_block hdr;
    struct heap_free *next;
    struct heap_free *prev;
};

struct heap_region {
    struct heap_region *next;
    size_t size_bytes; /* header, blocks and sentinel */
};

_Static_assert(sizeof(struct heap_block) == HDR_BYTES, "block header");
_Static_assert(sizeof(struct heap_free) + FOOTER_BYTES <= MIN_BLOCK,
               "a free block's links and footer fit the minimum block");
_Static_assert(sizeof(struct heap_region) <= REGION_BYTES, "region header");

/* ---- headers ---- */

static size_t bsize(const struct heap_block *b)
{
    return (size_t)(b->size_flags & ~(uint64_t)FLAG_MASK);
}

static bool is_used(const struct heap_block *b)
{
    return b->size_flags & FLAG_USED;
}

static bool hdr_ok(const struct heap_block *b)
{
    return b->check == (HEAP_MAGIC ^ b->size_flags ^ (uintptr_t)b);
}

static void set_hdr(struct heap_block *b, size_t size, uint64_t flags)
{
    b->size_flags = (uint64_t)size | flags;
    b->check = HEAP_MAGIC ^ b->size_flags ^ (uintptr_t)b;
}

static void kill_hdr(struct heap_block *b)
{
    b->size_flags = 0;
    b->check = HEAP_DEAD ^ (uintptr_t)b;
}

static struct heap_block *at(void *base, size_t offset)
{
    return (struct heap_block *)((char *)base + offset);
}

static struct heap_block *next_block(struct heap_block *b)
{
    return at(b, bsize(b));
}

static void set_prev_free(struct heap_block *b, bool prev_free)
{
    uint64_t flags = b->size_flags & FLAG_USED;
    set_hdr(b, bsize(b), flags | (prev_free ? FLAG_PREV_FREE : 0));
}

static uint64_t *footer(struct heap_block *b)
{
    return (uint64_t *)((char *)b + bsize(b) - FOOTER_BYTES);
}

static size_t align_up(size_t x, size_t align)
{
    return (x + align - 1) & ~(align - 1);
}

/* ---- the free list ---- */

static void list_push(struct heap *h, struct heap_free *f)
{
    f->prev = NULL;
    f->next = h->free_list;
    if (f->next)
        f->next->prev = f;
    h->free_list = f;
}

static void list_remove(struct heap *h, struct heap_free *f)
{
    if (f->prev)
        f->prev->next = f->next;
    else
        h->free_list = f->next;
    if (f->next)
        f->next->prev = f->prev;
}

/*
 * Makes [b, b + size) one free block on the list and tells the next block.
 * The block before it must be in use (callers merge first).
 */
static void make_free(struct heap *h, struct heap_block *b, size_t size)
{
    set_hdr(b, size, 0);
    *footer(b) = size;
    list_push(h, (struct heap_free *)b);
    set_prev_free(next_block(b), true);
}

/*
 * Frees block b (its header's size is trusted), merging with a free
 * neighbour on either side. Counters are the caller's business: merging
 * never changes how many bytes are free.
 */
static void release(struct heap *h, struct heap_block *b)
{
    size_t size = bsize(b);
    bool prev_free = b->size_flags & FLAG_PREV_FREE;
    struct heap_block *n = at(b, size);

    if (!is_used(n)) {
        list_remove(h, (struct heap_free *)n);
        size += bsize(n);
        kill_hdr(n);
    }
    if (prev_free) {
        size_t psize = *(uint64_t *)((char *)b - FOOTER_BYTES);
        struct heap_block *p = (struct heap_block *)((char *)b - psize);
        if (!hdr_ok(p) || is_used(p) || bsize(p) != psize) {
            h->src->report(h->src, "corrupted footer before block", b);
            make_free(h, b, size); /* keep going without the merge */
            return;
        }
        list_remove(h, (struct heap_free *)p);
        size += psize;
        kill_hdr(b);
        b = p;
    }
    make_free(h, b, size);
}

/* ---- growing ---- */

void heap_init(struct heap *h, struct heap_source *src)
{
    memset(h, 0, sizeof *h);
    h->src = src;
}

static char *region_end(struct heap_region *r)
{
    return (char *)r + r->size_bytes;
}

/* Asks the source for room for a block of `need` bytes; false if none. */
static bool grow(struct heap *h, size_t need)
{
    struct heap_source *src = h->src;
    size_t len = align_up(need + REGION_BYTES + SENTINEL_BYTES, src->granule);
    if (len < src->min_grow)
        len = align_up(src->min_grow, src->granule);
    char *mem = src->grow(src, len);
    size_t exact = align_up(need + REGION_BYTES + SENTINEL_BYTES, src->granule);
    if (!mem && len > exact) {
        len = exact; /* min_grow is a preference: settle for what fits */
        mem = src->grow(src, len);
    }
    if (!mem)
        return false;
    KASSERT(((uintptr_t)mem & FLAG_MASK) == 0);
    h->size_bytes += len;
    h->grows++;
    h->free_bytes += len;

    for (struct heap_region *r = h->regions; r; r = r->next) {
        if (region_end(r) != mem)
            continue;
        /* Right after r: its sentinel becomes the new block's header. */
        struct heap_block *b = at(mem, 0) - 1;
        uint64_t prev_flag = b->size_flags & FLAG_PREV_FREE;
        r->size_bytes += len;
        set_hdr(at(region_end(r), 0) - 1, 0, FLAG_USED);
        set_hdr(b, len, FLAG_USED | prev_flag);
        release(h, b);
        return true;
    }
    struct heap_region *r = (struct heap_region *)mem;
    r->size_bytes = len;
    r->next = h->regions;
    h->regions = r;
    h->free_bytes -= REGION_BYTES + SENTINEL_BYTES;
    set_hdr(at(mem, len - SENTINEL_BYTES), 0, FLAG_USED);
    make_free(h, at(mem, REGION_BYTES), len - REGION_BYTES - SENTINEL_BYTES);
    return true;
}

/* ---- allocating ---- */

/* The block size that holds `size` payload bytes. */
static size_t block_need(size_t size)
{
    size_t need = align_up(size + HDR_BYTES, HEAP_ALIGN);
    return need < MIN_BLOCK ? MIN_BLOCK : need;
}

/*
 * Where inside free block f an `align`ed payload can start: the offset of
 * its header. A gap before it must be 0 or big enough to stay a free block.
 */
static size_t lead_gap(const struct heap_free *f, size_t align)
{
    uintptr_t base = (uintptr_t)f;
    uintptr_t p = align_up(base + HDR_BYTES, align);

    if (p - HDR_BYTES != base && p - HDR_BYTES - base < MIN_BLOCK)
        p = align_up(base + HDR_BYTES + MIN_BLOCK, align);
    return p - HDR_BYTES - base;
}

/*
 * Shrinks used block b to `need` bytes if the rest can be a block of its
 * own, and frees that rest (merging it with a free block after it).
 */
static void trim(struct heap *h, struct heap_block *b, size_t need)
{
    size_t size = bsize(b);

    if (size - need < MIN_BLOCK)
        return;
    set_hdr(b, need, b->size_flags & (FLAG_USED | FLAG_PREV_FREE));
    struct heap_block *rest = at(b, need);
    set_hdr(rest, size - need, FLAG_USED);
    h->used_bytes -= size - need;
    h->free_bytes += size - need;
    release(h, rest);
}

/* Takes a block of `need` bytes starting `gap` bytes into free block f. */
static void *carve(struct heap *h, struct heap_free *f, size_t gap, size_t need)
{
    struct heap_block *b = &f->hdr;
    size_t total = bsize(b);
    uint64_t flags = FLAG_USED;

    list_remove(h, f);
    if (gap) {
        /* The new block's header first: make_free(gap) updates it. */
        set_hdr(at(b, gap), total - gap, flags | FLAG_PREV_FREE);
        make_free(h, b, gap);
        b = at(b, gap);
        total -= gap;
    } else {
        set_hdr(b, total, flags);
    }
    set_prev_free(next_block(b), false);
    h->free_bytes -= total;
    h->used_bytes += total;
    h->blocks_in_use++;
    trim(h, b, need);
    return at(b, HDR_BYTES);
}

static void *fit(struct heap *h, size_t need, size_t align)
{
    for (struct heap_free *f = h->free_list; f; f = f->next) {
        size_t gap = align == HEAP_ALIGN ? 0 : lead_gap(f, align);
        if (bsize(&f->hdr) >= gap + need)
            return carve(h, f, gap, need);
    }
    return NULL;
}

void *heap_alloc_aligned(struct heap *h, size_t size, size_t align)
{
    if (align < HEAP_ALIGN)
        align = HEAP_ALIGN;
    if ((align & (align - 1)) != 0 || size > MAX_REQUEST || align > MAX_REQUEST)
        return NULL;
    size_t need = block_need(size);
    void *p = fit(h, need, align);
    if (p)
        return p;
    /* The slack lets the new memory hold an aligned start and its gap. */
    size_t slack = align == HEAP_ALIGN ? 0 : align + MIN_BLOCK;
    if (!grow(h, need + slack))
        return NULL;
    return fit(h, need, align);
}

void *heap_alloc(struct heap *h, size_t size)
{
    return heap_alloc_aligned(h, size, HEAP_ALIGN);
}

void *heap_calloc(struct heap *h, size_t n, size_t size)
{
    if (size != 0 && n > MAX_REQUEST / size)
        return NULL;
    void *p = heap_alloc(h, n * size);
    if (p)
        memset(p, 0, n * size);
    return p;
}

/* ---- checking a pointer we are given ---- */

static bool in_regions(struct heap *h, uintptr_t p)
{
    for (struct heap_region *r = h->regions; r; r = r->next) {
        uintptr_t first = (uintptr_t)r + REGION_BYTES + HDR_BYTES;
        if (p >= first && p < (uintptr_t)region_end(r) - SENTINEL_BYTES)
            return true;
    }
    return false;
}

/*
 * The used block whose payload is p, or NULL after reporting why not. The
 * next header is checked too: an overrun off the end of p's block shows up
 * there.
 */
static struct heap_block *checked_block(struct heap *h, void *p)
{
    struct heap_block *b = at(p, 0) - 1;

    if (((uintptr_t)p & FLAG_MASK) != 0 || !in_regions(h, (uintptr_t)p)) {
        h->src->report(h->src, "pointer the heap never gave out", p);
        return NULL;
    }
    if (b->check == (HEAP_DEAD ^ (uintptr_t)b)) {
        h->src->report(h->src, "double free (block already merged)", p);
        return NULL;
    }
    if (!hdr_ok(b) || bsize(b) < MIN_BLOCK) {
        h->src->report(h->src, "corrupted block header or foreign pointer", b);
        return NULL;
    }
    if (!is_used(b)) {
        h->src->report(h->src, "double free", p);
        return NULL;
    }
    if (!hdr_ok(next_block(b))) {
        h->src->report(h->src, "corrupted block header (overrun?)",
                       next_block(b));
        return NULL;
    }
    return b;
}

int heap_free(struct heap *h, void *p)
{
    if (!p)
        return 0;
    struct heap_block *b = checked_block(h, p);
    if (!b)
        return -EINVAL;
    h->used_bytes -= bsize(b);
    h->free_bytes += bsize(b);
    h->blocks_in_use--;
    release(h, b);
    return 0;
}

size_t heap_block_size(struct heap *h, const void *p)
{
    struct heap_block *b = checked_block(h, (void *)(uintptr_t)p);
    return b ? bsize(b) - HDR_BYTES : 0;
}

/* Grows used block b in place by swallowing a free block after it. */
static bool extend(struct heap *h, struct heap_block *b, size_t need)
{
    struct heap_block *n = next_block(b);

    if (is_used(n) || bsize(b) + bsize(n) < need)
        return false;
    size_t nsize = bsize(n);
    list_remove(h, (struct heap_free *)n);
    kill_hdr(n);
    set_hdr(b, bsize(b) + nsize, b->size_flags & FLAG_MASK);
    set_prev_free(next_block(b), false);
    h->free_bytes -= nsize;
    h->used_bytes += nsize;
    trim(h, b, need);
    return true;
}

void *heap_realloc(struct heap *h, void *p, size_t size)
{
    if (!p)
        return heap_alloc(h, size);
    if (size == 0) {
        heap_free(h, p);
        return NULL;
    }
    struct heap_block *b = checked_block(h, p);
    if (!b || size > MAX_REQUEST)
        return NULL;
    size_t need = block_need(size);
    if (need <= bsize(b)) {
        trim(h, b, need);
        return p;
    }
    if (extend(h, b, need))
        return p;
    void *q = heap_alloc(h, size);
    if (!q)
        return NULL;
    memcpy(q, p, bsize(b) - HDR_BYTES);
    heap_free(h, p);
    return q;
}

/* ---- statistics and the full check ---- */

void heap_stats(const struct heap *h, struct heap_stats *out)
{
    memset(out, 0, sizeof *out);
    out->size_bytes = h->size_bytes;
    out->used_bytes = h->used_bytes;
    out->free_bytes = h->free_bytes;
    out->blocks_in_use = h->blocks_in_use;
    out->grows = h->grows;
    for (const struct heap_free *f = h->free_list; f; f = f->next) {
        size_t payload = bsize(&f->hdr) - HDR_BYTES;
        if (payload > out->largest_free)
            out->largest_free = payload;
        out->free_blocks++;
    }
    for (const struct heap_region *r = h->regions; r; r = r->next)
        out->regions++;
}

static int broken(struct heap *h, const char *what, const void *addr)
{
    h->src->report(h->src, what, addr);
    return -EUCLEAN;
}

/* Checks one region's blocks; adds what it finds to the three counters. */
static int check_region(struct heap *h, struct heap_region *r, size_t *used,
                        size_t *free_bytes, size_t *free_blocks)
{
    struct heap_block *end = at(region_end(r), 0) - 1;
    struct heap_block *b = at(r, REGION_BYTES);
    bool prev_free = false;

    while (b != end) {
        size_t size = bsize(b);
        if (!hdr_ok(b) || size < MIN_BLOCK || (char *)b + size > (char *)end)
            return broken(h, "check: bad block header", b);
        if (!!(b->size_flags & FLAG_PREV_FREE) != prev_free)
            return broken(h, "check: PREV_FREE flag is wrong", b);
        if (is_used(b)) {
            *used += size;
        } else {
            if (prev_free)
                return broken(h, "check: two free blocks side by side", b);
            if (*footer(b) != size)
                return broken(h, "check: footer does not match", b);
            *free_bytes += size;
            (*free_blocks)++;
        }
        prev_free = !is_used(b);
        b = at(b, size);
    }
    if (!hdr_ok(end) || bsize(end) != 0 || !is_used(end) ||
        !!(end->size_flags & FLAG_PREV_FREE) != prev_free)
        return broken(h, "check: bad region sentinel", end);
    return 0;
}

int heap_check(struct heap *h)
{
    size_t used = 0, free_bytes = 0, free_blocks = 0, size = 0;

    for (struct heap_region *r = h->regions; r; r = r->next) {
        int err = check_region(h, r, &used, &free_bytes, &free_blocks);
        if (err < 0)
            return err;
        size += r->size_bytes;
    }
    size_t listed = 0;
    for (struct heap_free *f = h->free_list; f; f = f->next) {
        if (is_used(&f->hdr) || !in_regions(h, (uintptr_t)(f + 1)) ||
            (f->next && f->next->prev != f) || ++listed > free_blocks)
            return broken(h, "check: free list is broken", f);
    }
    if (listed != free_blocks)
        return broken(h, "check: free block missing from the list", NULL);
    if (used != h->used_bytes || free_bytes != h->free_bytes ||
        size != h->size_bytes)
        return broken(h, "check: counters do not add up", NULL);
    return 0;
}
