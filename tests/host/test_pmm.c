/*
 * Host tests for the frame bitmap (the portable core of the frame
 * allocator), against a fake memory map and a model of every frame.
 *
 * The fake map has holes, usable ranges that overlap, reserved ranges in the
 * middle of usable ones, and a frame count that is not a multiple of 64, so
 * the bitmap's word edges are exercised. The model keeps one state per frame
 * (hole, reserved, free, allocated) and its own next-fit cursor: every frame
 * the bitmap hands out must be exactly the one next fit picks, and every
 * counter must match the model after every step. A seeded random sequence of
 * at least 100,000 single allocations, aligned runs, frees and deliberate
 * misuse (double frees, frees of reserved frames) runs to the end, then
 * everything is freed and the counts must be back where they started.
 *
 * Portable: host only; links kernel/mm/bitmap.c and portable_host.c.
 * See: tests/host/README.md, docs/memory.md
 */
#include "mm/bitmap.h"

#include <ember/errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>

#include "check.h"
#include "lib/xorshift.h"

#define FRAMES     200003 /* ~781 MiB of 4 KiB frames; not a multiple of 64 */
#define STEPS      150000
#define MAX_ALLOCS 8192

enum { HOLE, RESERVED, FREE, ALLOCATED };

static uint64_t rng_state;

static uint64_t rng_next(void)
{
    return xorshift64(&rng_state);
}

static uint64_t rng_below(uint64_t n)
{
    return rng_next() % n;
}

/* The fake machine: usable ranges (overlapping on purpose) and reserved. */
struct range {
    uint64_t first, count;
};
static const struct range usable_ranges[] = {
    {256, 40000},    {40100, 80000}, {100000, 30000}, /* overlaps above */
    {150000, 50003}, {199990, 100},                   /* runs off the end */
};
static const struct range reserved_ranges[] = {
    {0, 256},      /* the first MiB */
    {256, 700},    /* a "kernel image" */
    {60000, 13},   /* boot information in the middle of usable memory */
    {150000, 64},  /* "the bitmap itself" */
    {170001, 999}, /* a module */
};

static unsigned char state[FRAMES];
static uint64_t used_words[FRAMES / 64 + 1], reserved_words[FRAMES / 64 + 1];
static uint64_t model_cursor;

struct alloc {
    uint64_t first, count;
};
static struct alloc allocs[MAX_ALLOCS];
static size_t nallocs;

static void build(struct bitmap *b)
{
    memset(state, HOLE, sizeof state);
    bitmap_init(b, used_words, reserved_words, FRAMES);
    for (size_t i = 0; i < sizeof usable_ranges / sizeof usable_ranges[0];
         i++) {
        const struct range *r = &usable_ranges[i];
        bitmap_mark_free(b, r->first, r->count);
        for (uint64_t f = r->first; f < r->first + r->count && f < FRAMES; f++)
            state[f] = FREE;
    }
    for (size_t i = 0; i < sizeof reserved_ranges / sizeof reserved_ranges[0];
         i++) {
        const struct range *r = &reserved_ranges[i];
        bitmap_mark_reserved(b, r->first, r->count);
        for (uint64_t f = r->first; f < r->first + r->count; f++)
            state[f] = RESERVED;
    }
    model_cursor = 0;
    nallocs = 0;
}

static uint64_t count_state(int s)
{
    uint64_t n = 0;
    for (uint64_t f = 0; f < FRAMES; f++)
        n += state[f] == s;
    return n;
}

/* Next fit in the model: the first run from the cursor, then from 0. */
static bool model_fit(uint64_t count, uint64_t align, uint64_t *out)
{
    for (int pass = 0; pass < 2; pass++) {
        uint64_t from = pass == 0 ? model_cursor : 0;
        uint64_t c = (from + align - 1) / align * align;
        while (c + count <= FRAMES) {
            uint64_t i = 0;
            while (i < count && state[c + i] == FREE)
                i++;
            if (i == count) {
                *out = c;
                return true;
            }
            c = (c + i + 1 + align - 1) / align * align;
        }
    }
    return false;
}

static void take(struct bitmap *b, uint64_t count, uint64_t align)
{
    uint64_t want, got;
    bool fits = model_fit(count, align, &want);
    int err = count == 1 && align == 1
                  ? bitmap_alloc(b, &got)
                  : bitmap_alloc_run(b, count, align, &got);
    if (!fits) {
        CHECK_EQ(err, -ENOMEM);
        return;
    }
    CHECK_EQ(err, 0);
    CHECK_EQ(got, want);
    if (err < 0 || got != want || nallocs == MAX_ALLOCS)
        return;
    for (uint64_t i = 0; i < count; i++)
        state[got + i] = ALLOCATED;
    model_cursor = got + count < FRAMES ? got + count : 0;
    allocs[nallocs++] = (struct alloc){got, count};
}

static void give_back(struct bitmap *b, size_t i)
{
    struct alloc a = allocs[i];

    if (a.count == 1)
        CHECK_EQ(bitmap_free(b, a.first), 0);
    else
        CHECK_EQ(bitmap_free_run(b, a.first, a.count), 0);
    for (uint64_t f = a.first; f < a.first + a.count; f++)
        state[f] = FREE;
    allocs[i] = allocs[--nallocs];
}

/* Frees that must fail, and change nothing. */
static void misuse(struct bitmap *b)
{
    uint64_t before = b->free;
    uint64_t f = rng_below(FRAMES);

    if (state[f] == RESERVED || state[f] == HOLE)
        CHECK_EQ(bitmap_free(b, f), -EPERM);
    else if (state[f] == FREE)
        CHECK_EQ(bitmap_free(b, f), -EINVAL);
    CHECK_EQ(bitmap_free(b, FRAMES + rng_below(1000)), -ERANGE);
    /* A run with one bad frame at its end is refused whole. */
    if (nallocs > 0 && allocs[0].first + allocs[0].count < FRAMES &&
        state[allocs[0].first + allocs[0].count] != ALLOCATED)
        CHECK(bitmap_free_run(b, allocs[0].first, allocs[0].count + 1) < 0);
    CHECK_EQ(b->free, before);
}

TEST(counts_after_building_the_map)
{
    struct bitmap b;
    build(&b);
    CHECK_EQ(b.free, count_state(FREE));
    CHECK_EQ(b.usable, count_state(FREE) + b.kept);
    CHECK_EQ(b.kept, 700 + 13 + 64 + 999);
    CHECK_EQ(bitmap_is_used(&b, 0), 1);
    CHECK_EQ(bitmap_is_used(&b, 956), 0);
    CHECK_EQ(bitmap_is_used(&b, 40050), 0);
    CHECK_EQ(bitmap_is_used(&b, 140000), 1); /* a hole */
}

TEST(random_sequence_matches_next_fit_model)
{
    struct bitmap b;
    long ops = 0;

    build(&b);
    uint64_t start_free = b.free;
    rng_state = 0x243f6a8885a308d3ull;
    for (long s = 0; s < STEPS; s++) {
        uint64_t r = rng_below(100);
        if (r < 45 && nallocs < MAX_ALLOCS) {
            take(&b, 1, 1);
        } else if (r < 60 && nallocs < MAX_ALLOCS) {
            take(&b, 1 + rng_below(64), (uint64_t)1 << rng_below(7));
        } else if (r < 97 && nallocs > 0) {
            give_back(&b, rng_below(nallocs));
        } else {
            misuse(&b);
        }
        ops++;
        if (s % 1000 == 0)
            CHECK_EQ(b.free, count_state(FREE));
    }
    CHECK(ops >= 100000);
    CHECK_EQ(b.free, count_state(FREE));
    while (nallocs > 0)
        give_back(&b, nallocs - 1);
    CHECK_EQ(b.free, start_free);
    CHECK_EQ(b.usable - b.kept, start_free);
}

TEST(exhaustion_then_everything_back)
{
    struct bitmap b;
    uint64_t f, n = 0;

    build(&b);
    uint64_t start_free = b.free;
    while (bitmap_alloc(&b, &f) == 0) {
        CHECK(state[f] == FREE);
        state[f] = ALLOCATED;
        n++;
    }
    CHECK_EQ(n, start_free);
    CHECK_EQ(b.free, 0);
    CHECK_EQ(bitmap_alloc(&b, &f), -ENOMEM);
    CHECK_EQ(bitmap_alloc_run(&b, 2, 1, &f), -ENOMEM);
    /* The padding bits past FRAMES in the last word were never handed out. */
    for (uint64_t i = 0; i < FRAMES; i++)
        if (state[i] == ALLOCATED)
            CHECK_EQ(bitmap_free(&b, i), 0);
    CHECK_EQ(b.free, start_free);
    /* After freeing everything a long run fits again. */
    CHECK_EQ(bitmap_alloc_run(&b, 20000, 512, &f), 0);
    CHECK_EQ(f % 512, 0);
    CHECK_EQ(bitmap_free_run(&b, f, 20000), 0);
}

TEST(bad_arguments)
{
    struct bitmap b;
    uint64_t f;

    build(&b);
    CHECK_EQ(bitmap_alloc_run(&b, 0, 1, &f), -EINVAL);
    CHECK_EQ(bitmap_alloc_run(&b, 4, 3, &f), -EINVAL);
    CHECK_EQ(bitmap_alloc_run(&b, FRAMES, 1, &f), -ENOMEM);
    CHECK_EQ(bitmap_free(&b, 10), -EPERM);     /* first MiB */
    CHECK_EQ(bitmap_free(&b, 140000), -EPERM); /* a hole */
    CHECK_EQ(bitmap_free(&b, 1000), -EINVAL);  /* free already */
    CHECK_EQ(bitmap_free_run(&b, FRAMES + 1, 1), -ERANGE);
}

int main(void)
{
    RUN(counts_after_building_the_map);
    RUN(random_sequence_matches_next_fit_model);
    RUN(exhaustion_then_everything_back);
    RUN(bad_arguments);
    return check_summary();
}
