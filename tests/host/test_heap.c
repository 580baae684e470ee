/*
 * Host tests for the heap core: random workloads checked against a model,
 * and every kind of misuse the heap promises to catch.
 *
 * The workloads are seeded xorshift sequences of allocations (plain,
 * aligned, zeroed), frees and reallocs of mixed sizes, so a failure
 * reproduces exactly. The model keeps every live block and checks that no
 * two overlap, that each is aligned as asked, and that
 * its contents (a tag byte everywhere, the block's id at the front) survive
 * until it is freed and across every realloc. heap_check() runs every few
 * thousand steps. At the end everything is freed and the heap must be one
 * free block per region again. Two sources feed the heap: one big arena
 * handed out front to back (as the kernel's grow() does), and separate
 * malloc'd arenas (so regions cannot merge).
 *
 * Portable: host only; links kernel/mm/heap.c and portable_host.c.
 * See: tests/host/README.md, docs/memory.md
 */
#include "mm/heap.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>

#include <ember/errno.h>

#include "check.h"
#include "lib/xorshift.h"

#define ARENA_BYTES (256u << 20) /* the contiguous source's whole arena */
#define GRANULE     4096
#define MAX_LIVE    4096
#define CHECK_EVERY 4096 /* steps between full heap_check() walks */
#define MAX_ARENAS  4096

/* xorshift64 (Marsaglia 2003): seeded, so every run is the same run. */
static uint64_t rng_state;

static uint64_t rng_next(void)
{
    return xorshift64(&rng_state);
}

static uint64_t rng_below(uint64_t n)
{
    return rng_next() % n;
}

/* ---- heap sources ---- */

struct test_source {
    struct heap_source src;
    char *arena; /* contiguous: one arena, handed out in order */
    size_t arena_used;
    size_t limit;   /* contiguous: grow() fails past this */
    bool scattered; /* separate malloc'd arenas instead */
    void *arenas[MAX_ARENAS];
    size_t narenas;
    int reports; /* report() calls, and the last one's details */
    const char *last_what;
    const void *last_addr;
};

static void *grow_contiguous(struct heap_source *src, size_t len)
{
    struct test_source *ts = (struct test_source *)src;

    CHECK(len % GRANULE == 0);
    if (ts->arena_used + len > ts->limit)
        return NULL;
    void *p = ts->arena + ts->arena_used;
    ts->arena_used += len;
    return p;
}

static void *grow_scattered(struct heap_source *src, size_t len)
{
    struct test_source *ts = (struct test_source *)src;

    if (ts->narenas == MAX_ARENAS || ts->arena_used + len > ts->limit)
        return NULL;
    void *p = aligned_alloc(GRANULE, len);
    if (!p)
        return NULL;
    ts->arenas[ts->narenas++] = p;
    ts->arena_used += len;
    return p;
}

static void record_report(struct heap_source *src, const char *what,
                          const void *addr)
{
    struct test_source *ts = (struct test_source *)src;

    ts->reports++;
    ts->last_what = what;
    ts->last_addr = addr;
}

static struct test_source *source_new(bool scattered, size_t limit,
                                      size_t min_grow)
{
    struct test_source *ts = calloc(1, sizeof *ts);

    ts->scattered = scattered;
    ts->limit = limit;
    if (!scattered)
        ts->arena = aligned_alloc(GRANULE, ARENA_BYTES);
    ts->src.grow = scattered ? grow_scattered : grow_contiguous;
    ts->src.report = record_report;
    ts->src.granule = GRANULE;
    ts->src.min_grow = min_grow;
    return ts;
}

static void source_free(struct test_source *ts)
{
    for (size_t i = 0; i < ts->narenas; i++)
        free(ts->arenas[i]);
    free(ts->arena);
    free(ts);
}

/* ---- the model ---- */

struct live {
    unsigned char *p;
    size_t size;
    size_t align;
    uint64_t id;
    unsigned char tag;
};

static struct live live[MAX_LIVE]; /* sorted by address */
static size_t nlive;
static uint64_t next_id;

static void fill(struct live *l)
{
    memset(l->p, l->tag, l->size);
    memcpy(l->p, &l->id, l->size < 8 ? l->size : 8);
}

static bool intact(const struct live *l, size_t upto)
{
    static unsigned char same[4096];
    size_t head = l->size < 8 ? l->size : 8;

    if (upto > l->size)
        upto = l->size;
    if (memcmp(l->p, &l->id, upto < head ? upto : head) != 0)
        return false;
    memset(same, l->tag, sizeof same);
    for (size_t i = head; i < upto; i += sizeof same) {
        size_t n = upto - i < sizeof same ? upto - i : sizeof same;
        if (memcmp(l->p + i, same, n) != 0)
            return false;
    }
    return true;
}

/* Adds a new block to the model and fills it with its id and tag. */
static void model_add(unsigned char *p, size_t size, size_t align)
{
    CHECK((uintptr_t)p % align == 0);
    live[nlive] = (struct live){p, size, align, next_id++,
                                (unsigned char)(1 + rng_below(255))};
    fill(&live[nlive]);
    nlive++;
}

static void model_remove(size_t i)
{
    live[i] = live[--nlive];
}

static int by_address(const void *a, const void *b)
{
    const struct live *x = a, *y = b;
    return x->p < y->p ? -1 : x->p > y->p;
}

/*
 * Every live block is intact and none overlaps the next one up. Run every
 * CHECK_EVERY steps: the contents catch most overlaps at once (a new block's
 * fill destroys its neighbour's), the sort catches the rest.
 */
static void verify_all(void)
{
    static struct live sorted[MAX_LIVE];

    memcpy(sorted, live, nlive * sizeof live[0]);
    qsort(sorted, nlive, sizeof sorted[0], by_address);
    for (size_t i = 0; i < nlive; i++) {
        CHECK(intact(&sorted[i], sorted[i].size));
        if (i + 1 < nlive)
            CHECK(sorted[i].p + sorted[i].size <= sorted[i + 1].p);
    }
}

/* Mostly small blocks, some pages, a few large ones. */
static size_t random_size(void)
{
    uint64_t r = rng_below(100);

    if (r < 60)
        return rng_below(257);
    if (r < 95)
        return 257 + rng_below(8192);
    return 8192 + rng_below(128 << 10);
}

static size_t random_align(void)
{
    if (rng_below(4) != 0)
        return HEAP_ALIGN;
    return (size_t)1 << (4 + rng_below(9)); /* 16 .. 4096 */
}

static void step_alloc(struct heap *h)
{
    size_t size = random_size();
    size_t align = random_align();
    bool zeroed = rng_below(32) == 0;
    unsigned char *p;

    if (zeroed) {
        size_t n = 1 + rng_below(16);
        size = (size / n + 1) * n;
        p = heap_calloc(h, n, size / n);
        for (size_t i = 0; p && i < size; i++)
            if (p[i] != 0) {
                CHECK(p[i] == 0);
                break;
            }
        align = HEAP_ALIGN;
    } else {
        p = heap_alloc_aligned(h, size, align);
    }
    CHECK(p != NULL);
    if (p) {
        CHECK(heap_block_size(h, p) >= size);
        model_add(p, size, align);
    }
}

static void step_free(struct heap *h)
{
    size_t i = rng_below(nlive);

    CHECK(intact(&live[i], live[i].size));
    CHECK_EQ(heap_free(h, live[i].p), 0);
    model_remove(i);
}

static void step_realloc(struct heap *h)
{
    size_t i = rng_below(nlive);
    struct live old = live[i];
    size_t size = random_size() + 1;

    CHECK(intact(&old, old.size));
    unsigned char *p = heap_realloc(h, old.p, size);
    CHECK(p != NULL);
    if (!p)
        return;
    model_remove(i);
    struct live moved = old;
    moved.p = p;
    CHECK(intact(&moved, size < old.size ? size : old.size));
    CHECK((uintptr_t)p % HEAP_ALIGN == 0);
    if (p == old.p)
        CHECK(old.align == HEAP_ALIGN || (uintptr_t)p % old.align == 0);
    model_add(p, size, HEAP_ALIGN);
}

static void free_everything(struct heap *h)
{
    while (nlive > 0) {
        CHECK(intact(&live[nlive - 1], live[nlive - 1].size));
        CHECK_EQ(heap_free(h, live[nlive - 1].p), 0);
        nlive--;
    }
}

/* Runs `steps` random operations on a fresh heap over ts, then empties it. */
static void workload(struct test_source *ts, uint64_t seed, long steps)
{
    struct heap h;
    struct heap_stats st;

    heap_init(&h, &ts->src);
    rng_state = seed;
    nlive = 0;
    long allocs = 0, frees = 0, reallocs = 0;
    for (long s = 0; s < steps; s++) {
        uint64_t r = rng_below(100);
        if (nlive == 0 || (r < 45 && nlive < MAX_LIVE)) {
            step_alloc(&h);
            allocs++;
        } else if (r < 80) {
            step_free(&h);
            frees++;
        } else {
            step_realloc(&h);
            reallocs++;
        }
        if (s % CHECK_EVERY == 0) {
            CHECK_EQ(heap_check(&h), 0);
            verify_all();
        }
    }
    CHECK_EQ(heap_check(&h), 0);
    heap_stats(&h, &st);
    fprintf(stderr,
            "workload seed %#llx: %ld allocs, %ld frees, %ld reallocs; "
            "heap %zu KiB in %zu regions after %zu grows\n",
            (unsigned long long)seed, allocs, frees, reallocs,
            st.size_bytes >> 10, st.regions, st.grows);
    CHECK(allocs + frees + reallocs >= 100000);

    free_everything(&h);
    CHECK_EQ(heap_check(&h), 0);
    heap_stats(&h, &st);
    CHECK_EQ(st.used_bytes, 0);
    CHECK_EQ(st.blocks_in_use, 0);
    /* One free block per region, covering it all but its bookkeeping. */
    CHECK_EQ(st.free_blocks, st.regions);
    CHECK_EQ(st.free_bytes, st.size_bytes - st.regions * 48);
    if (!ts->scattered) {
        CHECK_EQ(st.regions, 1);
        CHECK_EQ(st.largest_free, st.size_bytes - 48 - 16);
    }
    CHECK_EQ(ts->reports, 0);
}

TEST(random_workload_contiguous_source)
{
    struct test_source *ts = source_new(false, ARENA_BYTES, 64 << 10);
    workload(ts, 0x0123456789abcdefull, 300000);
    source_free(ts);
}

TEST(random_workload_small_grows)
{
    /* Growth by single pages: many extensions of the one region. */
    struct test_source *ts = source_new(false, ARENA_BYTES, GRANULE);
    workload(ts, 0xfeedfacecafebeefull, 150000);
    source_free(ts);
}

TEST(random_workload_scattered_arenas)
{
    struct test_source *ts = source_new(true, ARENA_BYTES, 256 << 10);
    workload(ts, 0x5151515151515151ull, 200000);
    source_free(ts);
}

/* ---- edge cases ---- */

static struct heap *heap_new(struct test_source *ts)
{
    static struct heap h;
    heap_init(&h, &ts->src);
    return &h;
}

TEST(exhaustion_returns_null_and_heap_survives)
{
    struct test_source *ts = source_new(false, 1 << 20, GRANULE);
    struct heap *h = heap_new(ts);
    void *blocks[4096];
    size_t n = 0;

    while (n < 4096 && (blocks[n] = heap_alloc(h, 1000)) != NULL)
        n++;
    CHECK(n > 900 && n < 4096); /* 1 MiB / ~1 KiB blocks */
    CHECK(heap_alloc(h, 1 << 20) == NULL);
    CHECK(heap_alloc_aligned(h, 100, 1 << 16) == NULL || heap_check(h) == 0);
    CHECK_EQ(heap_check(h), 0);
    for (size_t i = 0; i < n; i++)
        CHECK_EQ(heap_free(h, blocks[i]), 0);
    struct heap_stats st;
    heap_stats(h, &st);
    CHECK_EQ(st.used_bytes, 0);
    CHECK_EQ(st.free_blocks, 1);
    CHECK_EQ(ts->reports, 0);
    source_free(ts);
}

TEST(absurd_sizes_return_null)
{
    struct test_source *ts = source_new(false, ARENA_BYTES, GRANULE);
    struct heap *h = heap_new(ts);

    CHECK(heap_alloc(h, SIZE_MAX) == NULL);
    CHECK(heap_alloc(h, SIZE_MAX - 8) == NULL);
    CHECK(heap_calloc(h, SIZE_MAX / 2, 3) == NULL);
    CHECK(heap_alloc_aligned(h, 10, 24) == NULL); /* not a power of two */
    void *p = heap_alloc(h, 10);
    CHECK(heap_realloc(h, p, SIZE_MAX) == NULL);
    CHECK_EQ(heap_free(h, p), 0); /* p survived the failed realloc */
    void *z = heap_alloc(h, 0);
    CHECK(z != NULL);
    CHECK_EQ(heap_free(h, z), 0);
    CHECK_EQ(heap_check(h), 0);
    CHECK_EQ(ts->reports, 0);
    source_free(ts);
}

TEST(realloc_in_place_and_edge_cases)
{
    struct test_source *ts = source_new(false, ARENA_BYTES, GRANULE);
    struct heap *h = heap_new(ts);

    char *p = heap_realloc(h, NULL, 100); /* acts as alloc */
    CHECK(p != NULL);
    memset(p, 'x', 100);
    char *q = heap_realloc(h, p, 40); /* shrinks in place */
    CHECK(q == p);
    char *r = heap_realloc(h, q, 1000); /* the rest is free: grows in place */
    CHECK(r == p);
    CHECK(r[39] == 'x');
    CHECK(heap_realloc(h, r, 0) == NULL); /* frees */
    struct heap_stats st;
    heap_stats(h, &st);
    CHECK_EQ(st.used_bytes, 0);
    CHECK_EQ(heap_check(h), 0);
    CHECK_EQ(ts->reports, 0);
    source_free(ts);
}

TEST(detects_double_free)
{
    struct test_source *ts = source_new(false, ARENA_BYTES, GRANULE);
    struct heap *h = heap_new(ts);

    void *a = heap_alloc(h, 64);
    void *b = heap_alloc(h, 64);
    void *c = heap_alloc(h, 64);
    CHECK_EQ(heap_free(h, b), 0);
    CHECK_EQ(heap_free(h, b), -EINVAL);
    CHECK_EQ(ts->reports, 1);
    CHECK(ts->last_addr == b);
    CHECK(strcmp(ts->last_what, "double free") == 0);
    /* Freeing a merges b into it; b's header is dead, still recognised. */
    CHECK_EQ(heap_free(h, a), 0);
    CHECK_EQ(heap_free(h, b), -EINVAL);
    CHECK_EQ(ts->reports, 2);
    CHECK(ts->last_addr == b);
    CHECK(strstr(ts->last_what, "double free") != NULL);
    CHECK_EQ(heap_free(h, c), 0);
    CHECK_EQ(heap_check(h), 0);
    source_free(ts);
}

TEST(detects_pointers_it_never_gave_out)
{
    struct test_source *ts = source_new(false, ARENA_BYTES, GRANULE);
    struct heap *h = heap_new(ts);
    int on_stack;

    char *a = heap_alloc(h, 256);
    CHECK_EQ(heap_free(h, &on_stack), -EINVAL);
    CHECK(ts->last_addr == &on_stack);
    CHECK_EQ(heap_free(h, a + 32), -EINVAL); /* inside a block */
    CHECK_EQ(heap_free(h, a + 1), -EINVAL);  /* misaligned */
    CHECK(ts->last_addr == a + 1);
    CHECK_EQ(ts->reports, 3);
    CHECK_EQ(heap_free(h, a), 0);
    CHECK_EQ(heap_check(h), 0);
    source_free(ts);
}

TEST(detects_corrupted_headers)
{
    struct test_source *ts = source_new(false, ARENA_BYTES, GRANULE);
    struct heap *h = heap_new(ts);

    char *a = heap_alloc(h, 32);
    char *b = heap_alloc(h, 32);
    size_t cap = heap_block_size(h, a);
    memset(a, 0x41, cap + 8); /* overrun into b's header */
    CHECK_EQ(heap_free(h, a), -EINVAL);
    CHECK(strstr(ts->last_what, "overrun") != NULL);
    CHECK(ts->last_addr == b - 16);
    CHECK_EQ(heap_free(h, b), -EINVAL); /* b's own header is gone */
    CHECK(strstr(ts->last_what, "corrupted") != NULL);
    CHECK(heap_check(h) != 0);
    source_free(ts);
}

TEST(aligned_blocks_free_like_any_other)
{
    struct test_source *ts = source_new(false, ARENA_BYTES, GRANULE);
    struct heap *h = heap_new(ts);
    void *p[64];

    for (int i = 0; i < 64; i++) {
        size_t align = (size_t)1 << (4 + i % 13); /* up to 64 KiB */
        p[i] = heap_alloc_aligned(h, 1 + (size_t)i * 37, align);
        CHECK(p[i] != NULL && (uintptr_t)p[i] % align == 0);
    }
    CHECK_EQ(heap_check(h), 0);
    for (int i = 63; i >= 0; i -= 2)
        CHECK_EQ(heap_free(h, p[i]), 0);
    for (int i = 0; i < 64; i += 2)
        CHECK_EQ(heap_free(h, p[i]), 0);
    struct heap_stats st;
    heap_stats(h, &st);
    CHECK_EQ(st.used_bytes, 0);
    CHECK_EQ(st.free_blocks, 1);
    CHECK_EQ(heap_check(h), 0);
    CHECK_EQ(ts->reports, 0);
    source_free(ts);
}

int main(void)
{
    RUN(random_workload_contiguous_source);
    RUN(random_workload_small_grows);
    RUN(random_workload_scattered_arenas);
    RUN(exhaustion_returns_null_and_heap_survives);
    RUN(absurd_sizes_return_null);
    RUN(realloc_in_place_and_edge_cases);
    RUN(detects_double_free);
    RUN(detects_pointers_it_never_gave_out);
    RUN(detects_corrupted_headers);
    RUN(aligned_blocks_free_like_any_other);
    return check_summary();
}
