/*
 * The frame bitmap: one bit per 4 KiB frame, next-fit search.
 *
 * Next fit (the search starts where the last one ended) keeps the common
 * case short: frames are taken in bursts - page tables, a growing heap - and
 * the frames just after the last one handed out are usually free. The scans
 * go a 64-bit word at a time, so a full word (64 used frames) costs one
 * compare and a free run of any length is found in one pass over the bits.
 *
 * Locking: none inside; the caller serialises (pmm.c holds mm_lock).
 * Portable: also built into tests/host/test_pmm.c.
 * See: docs/memory.md
 */
#include "mm/bitmap.h"

#include <ember/errno.h>

#include "lib/portable.h"

#define ALL_ONES (~0ull)

size_t bitmap_words(uint64_t frames)
{
    return (size_t)((frames + BITMAP_BITS_PER_WORD - 1) / BITMAP_BITS_PER_WORD);
}

/* The bits of word `w` that fall inside frames [first, end). */
static uint64_t word_mask(uint64_t w, uint64_t first, uint64_t end)
{
    uint64_t lo = w * BITMAP_BITS_PER_WORD;
    uint64_t from = first > lo ? first - lo : 0;
    uint64_t to =
        end - lo < BITMAP_BITS_PER_WORD ? end - lo : BITMAP_BITS_PER_WORD;
    uint64_t upper = to == BITMAP_BITS_PER_WORD ? ALL_ONES : (1ull << to) - 1;
    return upper & ~((1ull << from) - 1);
}

/*
 * Set bits in x, by adding neighbouring bit counts in parallel (Hacker's
 * Delight, 5-1). __builtin_popcountll would need libgcc, which the kernel
 * does not link, on CPUs without the popcnt instruction.
 */
static uint64_t popcount(uint64_t x)
{
    x = x - ((x >> 1) & 0x5555555555555555ull);
    x = (x & 0x3333333333333333ull) + ((x >> 2) & 0x3333333333333333ull);
    x = (x + (x >> 4)) & 0x0f0f0f0f0f0f0f0full;
    return (x * 0x0101010101010101ull) >> 56;
}

void bitmap_init(struct bitmap *b, uint64_t *used, uint64_t *reserved,
                 uint64_t frames)
{
    size_t bytes = bitmap_words(frames) * sizeof(uint64_t);

    /* All ones: the tail bits past `frames` then read as used forever. */
    memset(used, 0xff, bytes);
    memset(reserved, 0xff, bytes);
    b->used = used;
    b->reserved = reserved;
    b->frames = frames;
    b->cursor = 0;
    b->usable = 0;
    b->free = 0;
    b->kept = 0;
}

void bitmap_mark_free(struct bitmap *b, uint64_t first, uint64_t count)
{
    if (first >= b->frames)
        return;
    uint64_t end = count > b->frames - first ? b->frames : first + count;
    if (end == first)
        return;
    for (uint64_t w = first / BITMAP_BITS_PER_WORD;
         w <= (end - 1) / BITMAP_BITS_PER_WORD; w++) {
        /* Only reserved frames become free: overlaps count once. */
        uint64_t newly = b->reserved[w] & word_mask(w, first, end);
        b->reserved[w] &= ~newly;
        b->used[w] &= ~newly;
        b->usable += popcount(newly);
        b->free += popcount(newly);
    }
}

void bitmap_mark_reserved(struct bitmap *b, uint64_t first, uint64_t count)
{
    if (first >= b->frames)
        return;
    uint64_t end = count > b->frames - first ? b->frames : first + count;
    if (end == first)
        return;
    for (uint64_t w = first / BITMAP_BITS_PER_WORD;
         w <= (end - 1) / BITMAP_BITS_PER_WORD; w++) {
        uint64_t m = word_mask(w, first, end);
        b->free -= popcount(~b->used[w] & m);
        b->kept += popcount(~b->reserved[w] & m);
        b->used[w] |= m;
        b->reserved[w] |= m;
    }
}

/* The first free frame in [from, to), or `to` if there is none. */
static uint64_t first_free(const struct bitmap *b, uint64_t from, uint64_t to)
{
    uint64_t f = from;

    while (f < to) {
        uint64_t w = f / BITMAP_BITS_PER_WORD;
        uint64_t avail = ~b->used[w] & word_mask(w, f, to);
        if (avail)
            return w * BITMAP_BITS_PER_WORD + (uint64_t)__builtin_ctzll(avail);
        f = (w + 1) * BITMAP_BITS_PER_WORD;
    }
    return to;
}

/* The first used frame in [from, to), or `to` if all are free. */
static uint64_t first_used(const struct bitmap *b, uint64_t from, uint64_t to)
{
    uint64_t f = from;

    while (f < to) {
        uint64_t w = f / BITMAP_BITS_PER_WORD;
        uint64_t taken = b->used[w] & word_mask(w, f, to);
        if (taken)
            return w * BITMAP_BITS_PER_WORD + (uint64_t)__builtin_ctzll(taken);
        f = (w + 1) * BITMAP_BITS_PER_WORD;
    }
    return to;
}

static void set_used(struct bitmap *b, uint64_t frame)
{
    uint64_t bit = 1ull << (frame % BITMAP_BITS_PER_WORD);
    b->used[frame / BITMAP_BITS_PER_WORD] |= bit;
}

int bitmap_alloc(struct bitmap *b, uint64_t *out)
{
    if (b->free == 0)
        return -ENOMEM;
    uint64_t f = first_free(b, b->cursor, b->frames);
    if (f == b->frames)
        f = first_free(b, 0, b->cursor); /* wrap around once */
    KASSERT(f < b->frames);              /* free > 0 promised one */
    set_used(b, f);
    b->free--;
    b->cursor = f + 1 < b->frames ? f + 1 : 0;
    *out = f;
    return 0;
}

static uint64_t align_up(uint64_t x, uint64_t align)
{
    return (x + align - 1) & ~(align - 1);
}

/* Next fit for a run inside [from, to): returns its first frame or `to`. */
static uint64_t find_run(const struct bitmap *b, uint64_t from, uint64_t to,
                         uint64_t count, uint64_t align)
{
    uint64_t c = align_up(from, align);

    while (c < to && to - c >= count) {
        uint64_t u = first_used(b, c, c + count);
        if (u == c + count)
            return c;
        c = align_up(u + 1, align); /* nothing before u can start a run */
    }
    return to;
}

int bitmap_alloc_run(struct bitmap *b, uint64_t count, uint64_t align,
                     uint64_t *out)
{
    if (count == 0 || align == 0 || (align & (align - 1)) != 0)
        return -EINVAL;
    if (count > b->free)
        return -ENOMEM;
    uint64_t f = find_run(b, b->cursor, b->frames, count, align);
    if (f == b->frames)
        f = find_run(b, 0, b->frames, count, align);
    if (f == b->frames)
        return -ENOMEM;
    for (uint64_t i = 0; i < count; i++)
        set_used(b, f + i);
    b->free -= count;
    b->cursor = f + count < b->frames ? f + count : 0;
    *out = f;
    return 0;
}

static int check_free(const struct bitmap *b, uint64_t frame)
{
    if (frame >= b->frames)
        return -ERANGE;
    uint64_t w = frame / BITMAP_BITS_PER_WORD;
    uint64_t bit = 1ull << (frame % BITMAP_BITS_PER_WORD);
    if (b->reserved[w] & bit)
        return -EPERM;
    if (!(b->used[w] & bit))
        return -EINVAL;
    return 0;
}

int bitmap_free(struct bitmap *b, uint64_t frame)
{
    return bitmap_free_run(b, frame, 1);
}

int bitmap_free_run(struct bitmap *b, uint64_t first, uint64_t count)
{
    if (count > b->frames)
        return -ERANGE;
    for (uint64_t i = 0; i < count; i++) {
        int err = check_free(b, first + i);
        if (err < 0)
            return err;
    }
    for (uint64_t i = 0; i < count; i++) {
        uint64_t f = first + i;
        b->used[f / BITMAP_BITS_PER_WORD] &=
            ~(1ull << (f % BITMAP_BITS_PER_WORD));
    }
    b->free += count;
    return 0;
}

int bitmap_is_used(const struct bitmap *b, uint64_t frame)
{
    if (frame >= b->frames)
        return 0;
    return (b->used[frame / BITMAP_BITS_PER_WORD] >>
            (frame % BITMAP_BITS_PER_WORD)) &
           1;
}
