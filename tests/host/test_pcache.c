/*
 * Host tests for the page cache's core: hits and misses, least recently
 * used pages reclaimed first, dirty pages never reclaimed before they are
 * written back, writeback in bounded steps, truncation and drop_caches.
 *
 * The backing "file" is a byte pattern computed from (file, offset), so a
 * fill can be checked byte for byte; a fake allocator counts live pages
 * and can be told to run out.
 *
 * Portable: host only; links kernel/fs/pcache.c and portable_host.c.
 * See: docs/storage.md
 */
#include "fs/pcache.h"

#include <stdlib.h>
#include <string.h>

#include <ember/errno.h>

#include "check.h"

#define FILE_BYTES (10 * PCACHE_PAGE + 100) /* every fake file's size */

struct fake {
    int fills, writebacks, live, limit;
    uint64_t last_wb_file, last_wb_index;
    uint32_t last_wb_len;
};

static uint8_t byte_at(uint64_t file, uint64_t off)
{
    return (uint8_t)(file * 7 + off * 13 + (off >> 8));
}

static int64_t fill(void *ctx, uint64_t file, uint64_t index, void *page)
{
    struct fake *f = ctx;
    f->fills++;
    uint64_t start = index * PCACHE_PAGE;
    if (start >= FILE_BYTES)
        return 0;
    uint64_t n =
        FILE_BYTES - start < PCACHE_PAGE ? FILE_BYTES - start : PCACHE_PAGE;
    for (uint64_t i = 0; i < n; i++)
        ((uint8_t *)page)[i] = byte_at(file, start + i);
    return (int64_t)n;
}

static int writeback(void *ctx, uint64_t file, uint64_t index, const void *page,
                     uint32_t len)
{
    struct fake *f = ctx;
    (void)page;
    f->writebacks++;
    f->last_wb_file = file;
    f->last_wb_index = index;
    f->last_wb_len = len;
    return 0;
}

static void *page_alloc(void *ctx)
{
    struct fake *f = ctx;
    if (f->limit && f->live >= f->limit)
        return NULL;
    f->live++;
    return malloc(PCACHE_PAGE);
}

static void page_free(void *ctx, void *page)
{
    struct fake *f = ctx;
    f->live--;
    free(page);
}

static struct fake fk;
static struct pcache pc;

static void setup(uint64_t max_pages)
{
    if (pc.ops.page_free)
        pcache_destroy(&pc);
    fk = (struct fake){0};
    struct pcache_ops ops = {.fill = fill,
                             .writeback = writeback,
                             .page_alloc = page_alloc,
                             .page_free = page_free,
                             .ctx = &fk};
    pcache_init(&pc, &ops, max_pages);
}

TEST(miss_fills_then_hits)
{
    setup(100);
    struct pcache_page *p, *q;
    CHECK_EQ(pcache_get(&pc, 1, 3, &p), 0);
    CHECK_EQ(fk.fills, 1);
    CHECK_EQ(p->valid, PCACHE_PAGE);
    CHECK_EQ(p->data[5], byte_at(1, 3 * PCACHE_PAGE + 5));
    CHECK_EQ(pcache_get(&pc, 1, 3, &q), 0);
    CHECK(p == q);
    CHECK_EQ(fk.fills, 1);
    CHECK_EQ(pc.stats.hits, 1);
    CHECK_EQ(pc.stats.misses, 1);
    CHECK(pcache_get(&pc, 2, 3, &q) == 0 && q != p); /* another file */
    CHECK_EQ(q->data[5], byte_at(2, 3 * PCACHE_PAGE + 5));
}

TEST(last_page_is_partial)
{
    setup(100);
    struct pcache_page *p;
    CHECK_EQ(pcache_get(&pc, 1, 10, &p), 0);
    CHECK_EQ(p->valid, 100);
    CHECK_EQ(pcache_get(&pc, 1, 11, &p), 0);
    CHECK_EQ(p->valid, 0);
}

/* Over the cap, the least recently used page goes; a hit renews a page. */
TEST(reclaims_least_recently_used)
{
    setup(3);
    struct pcache_page *p;
    for (uint64_t i = 0; i < 3; i++)
        CHECK_EQ(pcache_get(&pc, 1, i, &p), 0);
    CHECK_EQ(pcache_get(&pc, 1, 0, &p), 0); /* 0 is now the newest */
    CHECK_EQ(pcache_get(&pc, 1, 5, &p), 0); /* evicts 1 */
    CHECK_EQ(pc.pages, 3);
    CHECK(pcache_peek(&pc, 1, 1) == NULL);
    CHECK(pcache_peek(&pc, 1, 0) != NULL && pcache_peek(&pc, 1, 2) != NULL);
    CHECK_EQ(fk.live, 3);
}

/* A dirty page is skipped by reclaim until it has been written back. */
TEST(dirty_pages_survive_reclaim)
{
    setup(2);
    struct pcache_page *p;
    CHECK_EQ(pcache_get(&pc, 1, 0, &p), 0);
    pcache_mark_dirty(&pc, p, PCACHE_PAGE);
    CHECK_EQ(pcache_get(&pc, 1, 1, &p), 0);
    CHECK_EQ(pcache_get(&pc, 1, 2, &p), 0); /* evicts 1, not dirty 0 */
    CHECK(pcache_peek(&pc, 1, 0) != NULL);
    CHECK(pcache_peek(&pc, 1, 1) == NULL);
    CHECK_EQ(pcache_drop_clean(&pc), 1);
    CHECK(pcache_peek(&pc, 1, 0) != NULL);
    CHECK_EQ(pcache_writeback(&pc, 1, false, UINT64_MAX), 1);
    CHECK_EQ(fk.last_wb_index, 0);
    CHECK_EQ(fk.last_wb_len, PCACHE_PAGE);
    CHECK_EQ(pcache_drop_clean(&pc), 1);
    CHECK_EQ(pc.pages, 0);
    CHECK_EQ(fk.live, 0);
}

/* Writeback stops after max_bytes and goes on at the next call. */
TEST(writeback_in_bounded_steps)
{
    setup(100);
    struct pcache_page *p;
    for (uint64_t i = 0; i < 10; i++) {
        CHECK_EQ(pcache_get(&pc, 4, i, &p), 0);
        pcache_mark_dirty(&pc, p, PCACHE_PAGE);
    }
    CHECK_EQ(pcache_writeback(&pc, 0, true, 3 * PCACHE_PAGE), 3);
    CHECK_EQ(pc.dirty_pages, 7);
    CHECK_EQ(pcache_writeback(&pc, 5, false, UINT64_MAX), 0); /* other file */
    CHECK_EQ(pcache_writeback(&pc, 4, false, UINT64_MAX), 7);
    CHECK_EQ(pc.dirty_pages, 0);
    CHECK_EQ(fk.writebacks, 10);
}

/* A volume that turned read-only: its dirty pages go unwritten, clean stay. */
TEST(drop_dirty_forgets_only_dirty_pages)
{
    setup(100);
    struct pcache_page *p;
    for (uint64_t i = 0; i < 6; i++) {
        CHECK_EQ(pcache_get(&pc, 6, i, &p), 0);
        if (i % 2)
            pcache_mark_dirty(&pc, p, PCACHE_PAGE);
    }
    CHECK_EQ(pcache_drop_dirty(&pc), 3);
    CHECK_EQ(pc.dirty_pages, 0);
    CHECK_EQ(pc.pages, 3);
    CHECK(pcache_peek(&pc, 6, 0) != NULL && pcache_peek(&pc, 6, 1) == NULL);
    CHECK_EQ(fk.writebacks, 0);
    CHECK_EQ(pcache_drop_dirty(&pc), 0);
}

/* When memory runs out, a clean page is given up for the new one. */
TEST(short_memory_reclaims_then_fails)
{
    setup(100);
    fk.limit = 2;
    struct pcache_page *p;
    CHECK_EQ(pcache_get(&pc, 1, 0, &p), 0);
    CHECK_EQ(pcache_get(&pc, 1, 1, &p), 0);
    CHECK_EQ(pcache_get(&pc, 1, 2, &p), 0); /* page 0 given up */
    CHECK(pcache_peek(&pc, 1, 0) == NULL);
    pcache_mark_dirty(&pc, pcache_peek(&pc, 1, 1), 1);
    pcache_mark_dirty(&pc, pcache_peek(&pc, 1, 2), 1);
    CHECK_EQ(pcache_get(&pc, 1, 3, &p), -ENOMEM); /* all dirty */
    CHECK_EQ(fk.live, 2);
}

TEST(drop_file_forgets_from_an_index)
{
    setup(100);
    struct pcache_page *p;
    for (uint64_t i = 0; i < 6; i++) {
        CHECK_EQ(pcache_get(&pc, 9, i, &p), 0);
        CHECK_EQ(pcache_get(&pc, 8, i, &p), 0);
    }
    pcache_mark_dirty(&pc, pcache_peek(&pc, 9, 5), PCACHE_PAGE);
    pcache_drop_file(&pc, 9, 2);
    CHECK(pcache_peek(&pc, 9, 1) != NULL && pcache_peek(&pc, 9, 2) == NULL);
    CHECK(pcache_peek(&pc, 9, 5) == NULL);
    CHECK(pcache_peek(&pc, 8, 5) != NULL);
    CHECK_EQ(pc.pages, 8);
    CHECK_EQ(pc.dirty_pages, 0);
}

/* Runs handed to writeback_run: consecutive indexes of one file. */
static int runs, run_pages[8];
static uint64_t run_first[8];

static int writeback_run(void *ctx, uint64_t file, struct pcache_page **pages,
                         uint32_t n)
{
    (void)ctx;
    (void)file;
    for (uint32_t i = 1; i < n; i++)
        if (pages[i]->index != pages[0]->index + i)
            return -EINVAL;
    if (runs < 8) {
        run_first[runs] = pages[0]->index;
        run_pages[runs] = (int)n;
    }
    runs++;
    return 0;
}

/*
 * writeback_run gets dirty pages in file order, however the LRU list
 * holds them, split where a page is clean or missing.
 */
TEST(writeback_gathers_runs_in_file_order)
{
    setup(100);
    pc.ops.writeback_run = writeback_run;
    runs = 0;
    struct pcache_page *p;
    static const uint64_t order[] = {3, 1, 2, 0, 6, 7};
    for (size_t i = 0; i < sizeof order / sizeof order[0]; i++) {
        CHECK_EQ(pcache_insert(&pc, 2, order[i], NULL, PCACHE_PAGE, &p), 0);
        pcache_mark_dirty(&pc, p, PCACHE_PAGE);
    }
    CHECK_EQ(pcache_writeback(&pc, 0, true, UINT64_MAX), 6);
    CHECK_EQ(runs, 2);
    CHECK_EQ(run_first[0], 0);
    CHECK_EQ(run_pages[0], 4);
    CHECK_EQ(run_first[1], 6);
    CHECK_EQ(run_pages[1], 2);
    CHECK_EQ(pc.dirty_pages, 0);
    pc.ops.writeback_run = NULL;
}

static bool busy_odd(void *ctx, const void *page)
{
    (void)ctx;
    return ((const uint8_t *)page)[0] & 1;
}

/* Lookup counts hits and moves the page up; insert copies and zero-fills;
 * busy pages (mapped elsewhere) survive reclaim and drop_caches. */
TEST(insert_lookup_and_busy_pages)
{
    setup(100);
    pc.ops.busy = busy_odd;
    struct pcache_page *p;
    uint8_t src[3] = {1, 2, 3};
    CHECK(pcache_lookup(&pc, 5, 0) == NULL);
    CHECK_EQ(pcache_insert(&pc, 5, 0, src, 3, &p), 0); /* busy: odd byte */
    CHECK_EQ(p->valid, 3);
    CHECK(p->data[2] == 3 && p->data[3] == 0 && p->data[PCACHE_PAGE - 1] == 0);
    CHECK_EQ(pcache_insert(&pc, 5, 1, NULL, 0, &p), 0); /* zeros: not busy */
    CHECK(pcache_lookup(&pc, 5, 0) != NULL);
    CHECK_EQ(pc.newest->index, 0);
    CHECK_EQ(pcache_drop_clean(&pc), 1);
    CHECK(pcache_peek(&pc, 5, 0) != NULL);
    pc.ops.busy = NULL;
}

/* A page the caller filled itself (a readahead run DMA'd into) is taken
 * over as it is: its bytes kept, the rest zeroed, and freed by page_free
 * like any other when the cache lets it go. */
TEST(adopted_pages_are_the_callers_bytes)
{
    setup(2);
    struct pcache_page *p;
    uint8_t *data = page_alloc(&fk);
    memset(data, 0xab, PCACHE_PAGE);
    CHECK_EQ(pcache_adopt(&pc, 7, 4, data, 100, &p), 0);
    CHECK(p->data == data && p->valid == 100 && !p->dirty);
    CHECK(data[99] == 0xab && data[100] == 0 && data[PCACHE_PAGE - 1] == 0);
    CHECK(pcache_lookup(&pc, 7, 4) == p);
    CHECK_EQ(fk.fills, 0);
    CHECK_EQ(pc.stats.misses, 1);
    /* Over the cap, adopting reclaims the oldest clean page first. */
    CHECK_EQ(pcache_adopt(&pc, 7, 5, page_alloc(&fk), PCACHE_PAGE, &p), 0);
    CHECK_EQ(pcache_adopt(&pc, 7, 6, page_alloc(&fk), 0, &p), 0);
    CHECK(pcache_peek(&pc, 7, 4) == NULL);
    CHECK_EQ(pc.pages, 2);
    CHECK_EQ(fk.live, 2);
    pcache_destroy(&pc);
    CHECK_EQ(fk.live, 0);
}

/* A page mapped writable (MAP_SHARED) is dirty again before every sync
 * while it is mapped, is never reclaimed with changes unseen, and after its
 * last mapping goes is written one last time and then left alone. */
TEST(writable_mapped_pages_are_written_until_unmapped)
{
    setup(100);
    pc.ops.busy = busy_odd;
    struct pcache_page *p;
    uint8_t one = 1;
    CHECK_EQ(pcache_insert(&pc, 6, 0, &one, 1, &p), 0); /* busy: mapped */
    pcache_map_writable(&pc, p);
    CHECK(p->dirty);
    CHECK_EQ(pcache_writeback(&pc, 0, true, UINT64_MAX), 1);
    CHECK(!p->dirty);
    CHECK_EQ(pcache_redirty_mapped(&pc), 1); /* still mapped */
    CHECK(p->dirty);
    CHECK_EQ(pcache_writeback(&pc, 0, true, UINT64_MAX), 1);
    CHECK_EQ(fk.writebacks, 2);
    p->data[0] = 2;                      /* the mapping goes: not busy */
    CHECK_EQ(pcache_drop_clean(&pc), 0); /* its last changes are unseen */
    CHECK_EQ(pcache_redirty_mapped(&pc), 0);
    CHECK(p->dirty && !p->wmapped);
    CHECK_EQ(pcache_writeback(&pc, 0, true, UINT64_MAX), 1);
    CHECK_EQ(pcache_redirty_mapped(&pc), 0);
    CHECK(!p->dirty);
    CHECK_EQ(pcache_drop_clean(&pc), 1);
    CHECK_EQ(pc.wmapped_pages, 0);
    pc.ops.busy = NULL;
}

int main(void)
{
    RUN(miss_fills_then_hits);
    RUN(last_page_is_partial);
    RUN(reclaims_least_recently_used);
    RUN(dirty_pages_survive_reclaim);
    RUN(writeback_in_bounded_steps);
    RUN(drop_dirty_forgets_only_dirty_pages);
    RUN(short_memory_reclaims_then_fails);
    RUN(drop_file_forgets_from_an_index);
    RUN(writeback_gathers_runs_in_file_order);
    RUN(insert_lookup_and_busy_pages);
    RUN(adopted_pages_are_the_callers_bytes);
    RUN(writable_mapped_pages_are_written_until_unmapped);
    pcache_destroy(&pc);
    return check_summary();
}
