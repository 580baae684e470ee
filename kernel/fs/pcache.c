/*
 * The page cache's core: a hash of (file, index) to pages, one LRU list,
 * reclaim of clean pages and bounded writeback of dirty ones.
 *
 * Lookups hash (file, index) into PCACHE_BUCKETS chains. Every page is on
 * one list from the most to the least recently used; a hit moves it to the
 * front. Reclaim walks from the back and frees only clean pages: a dirty
 * page must be written back first, which the caller does in steps of at
 * most max_bytes (issue #15 asks for at most 1 MiB per hold of the volume
 * lock), so reclaim never loses data and never blocks on the disk itself.
 *
 * Locking: none (the caller serialises; see pcache.h).
 * Portable: also built into tests/host/test_pcache.c.
 * See: docs/storage.md
 */
#include "fs/pcache.h"

#include <ember/errno.h>

#include "lib/portable.h"

#define HASH_MULT 0x9E3779B97F4A7C15ull /* Fibonacci hashing */
#define HASH_BITS 8                     /* log2(PCACHE_BUCKETS) */
#define WORD_BITS 64

_Static_assert(PCACHE_BUCKETS == 1u << HASH_BITS, "buckets match bits");

static unsigned bucket_of(uint64_t file, uint64_t index)
{
    return (unsigned)(((file * HASH_MULT) ^ index) * HASH_MULT >>
                      (WORD_BITS - HASH_BITS));
}

void pcache_init(struct pcache *pc, const struct pcache_ops *ops,
                 uint64_t max_pages)
{
    memset(pc, 0, sizeof *pc);
    pc->ops = *ops;
    pc->max_pages = max_pages;
}

static void lru_unlink(struct pcache *pc, struct pcache_page *p)
{
    if (p->newer)
        p->newer->older = p->older;
    else
        pc->newest = p->older;
    if (p->older)
        p->older->newer = p->newer;
    else
        pc->oldest = p->newer;
    p->newer = p->older = NULL;
}

static void lru_push_front(struct pcache *pc, struct pcache_page *p)
{
    p->older = pc->newest;
    p->newer = NULL;
    if (pc->newest)
        pc->newest->newer = p;
    else
        pc->oldest = p;
    pc->newest = p;
}

struct pcache_page *pcache_peek(struct pcache *pc, uint64_t file,
                                uint64_t index)
{
    for (struct pcache_page *p = pc->bucket[bucket_of(file, index)]; p;
         p = p->hnext)
        if (p->file == file && p->index == index)
            return p;
    return NULL;
}

/* Takes p out of the hash and the list, and frees it. */
static void forget(struct pcache *pc, struct pcache_page *p)
{
    struct pcache_page **link = &pc->bucket[bucket_of(p->file, p->index)];
    while (*link != p)
        link = &(*link)->hnext;
    *link = p->hnext;
    lru_unlink(pc, p);
    if (p->dirty)
        pc->dirty_pages--;
    if (p->wmapped)
        pc->wmapped_pages--;
    pc->pages--;
    pc->ops.page_free(pc->ops.ctx, p->data);
    kfree(p);
}

static bool busy(struct pcache *pc, const struct pcache_page *p)
{
    return pc->ops.busy && pc->ops.busy(pc->ops.ctx, p->data);
}

uint64_t pcache_reclaim(struct pcache *pc, uint64_t n)
{
    uint64_t freed = 0;
    struct pcache_page *p = pc->oldest;
    while (p && freed < n) {
        struct pcache_page *newer = p->newer;
        /* A wmapped page may hold changes its mappings made since the
         * last sync: it waits for pcache_redirty_mapped(). */
        if (!p->dirty && !p->wmapped && !busy(pc, p)) {
            forget(pc, p);
            freed++;
        }
        p = newer;
    }
    pc->stats.reclaimed += freed;
    return freed;
}

/* A new, empty page for (file, index), reclaiming one when over the cap. */
static int new_page(struct pcache *pc, uint64_t file, uint64_t index,
                    struct pcache_page **out)
{
    if (pc->pages >= pc->max_pages)
        pcache_reclaim(pc, 1);
    struct pcache_page *p = kmalloc(sizeof *p);
    void *data = p ? pc->ops.page_alloc(pc->ops.ctx) : NULL;
    if (data == NULL && p != NULL && pcache_reclaim(pc, 1) == 1)
        data = pc->ops.page_alloc(pc->ops.ctx);
    if (data == NULL) {
        kfree(p);
        return -ENOMEM;
    }
    *p = (struct pcache_page){.file = file, .index = index, .data = data};
    *out = p;
    return 0;
}

/* Puts a new page into the hash and at the front of the list. */
static void link_page(struct pcache *pc, struct pcache_page *p)
{
    unsigned b = bucket_of(p->file, p->index);
    p->hnext = pc->bucket[b];
    pc->bucket[b] = p;
    lru_push_front(pc, p);
    pc->pages++;
}

struct pcache_page *pcache_lookup(struct pcache *pc, uint64_t file,
                                  uint64_t index)
{
    struct pcache_page *p = pcache_peek(pc, file, index);
    if (p) {
        pc->stats.hits++;
        lru_unlink(pc, p);
        lru_push_front(pc, p);
    }
    return p;
}

int pcache_insert(struct pcache *pc, uint64_t file, uint64_t index,
                  const void *src, uint32_t valid, struct pcache_page **out)
{
    KASSERT(valid <= PCACHE_PAGE && !pcache_peek(pc, file, index));
    struct pcache_page *p;
    pc->stats.misses++;
    int err = new_page(pc, file, index, &p);
    if (err < 0)
        return err;
    if (src)
        memcpy(p->data, src, valid);
    else
        memset(p->data, 0, valid);
    memset(p->data + valid, 0, PCACHE_PAGE - valid);
    p->valid = valid;
    link_page(pc, p);
    *out = p;
    return 0;
}

int pcache_adopt(struct pcache *pc, uint64_t file, uint64_t index, void *data,
                 uint32_t valid, struct pcache_page **out)
{
    KASSERT(valid <= PCACHE_PAGE && !pcache_peek(pc, file, index));
    pc->stats.misses++;
    if (pc->pages >= pc->max_pages)
        pcache_reclaim(pc, 1);
    struct pcache_page *p = kmalloc(sizeof *p);
    if (p == NULL)
        return -ENOMEM;
    memset((uint8_t *)data + valid, 0, PCACHE_PAGE - valid);
    *p = (struct pcache_page){
        .file = file, .index = index, .data = data, .valid = valid};
    link_page(pc, p);
    *out = p;
    return 0;
}

int pcache_get(struct pcache *pc, uint64_t file, uint64_t index,
               struct pcache_page **out)
{
    struct pcache_page *p = pcache_lookup(pc, file, index);
    if (p) {
        *out = p;
        return 0;
    }
    pc->stats.misses++;
    int err = new_page(pc, file, index, &p);
    if (err < 0)
        return err;
    int64_t got = pc->ops.fill(pc->ops.ctx, file, index, p->data);
    if (got < 0 || got > PCACHE_PAGE) {
        pc->stats.fills_failed++;
        pc->ops.page_free(pc->ops.ctx, p->data);
        kfree(p);
        return got < 0 ? (int)got : -EIO;
    }
    p->valid = (uint32_t)got;
    link_page(pc, p);
    *out = p;
    return 0;
}

void pcache_mark_dirty(struct pcache *pc, struct pcache_page *p, uint32_t valid)
{
    if (!p->dirty)
        pc->dirty_pages++;
    p->dirty = true;
    if (valid > p->valid)
        p->valid = valid;
}

void pcache_map_writable(struct pcache *pc, struct pcache_page *p)
{
    if (!p->wmapped)
        pc->wmapped_pages++;
    p->wmapped = true;
    pcache_mark_dirty(pc, p, p->valid);
}

uint64_t pcache_redirty_mapped(struct pcache *pc)
{
    if (pc->wmapped_pages == 0)
        return 0; /* the usual case: no walk */
    for (struct pcache_page *p = pc->oldest; p; p = p->newer) {
        if (!p->wmapped)
            continue;
        pcache_mark_dirty(pc, p, p->valid);
        if (!busy(pc, p)) { /* the last mapping went since the last sync */
            p->wmapped = false;
            pc->wmapped_pages--;
        }
    }
    return pc->wmapped_pages;
}

static void mark_clean(struct pcache *pc, struct pcache_page *p)
{
    p->dirty = false;
    pc->dirty_pages--;
    pc->stats.written_back++;
}

/*
 * Gathers the dirty pages of p's file that follow p by index (found by
 * hash, so the run is in file order whatever the LRU order), at most max,
 * and hands them to writeback_run in one call. Returns the pages written
 * or the error.
 */
static int64_t write_run(struct pcache *pc, struct pcache_page *p, uint32_t max)
{
    struct pcache_page *run[PCACHE_RUN_MAX];
    uint32_t n = 0;
    /* Start at the first dirty page of this stretch. */
    while (p->index > 0) {
        struct pcache_page *q = pcache_peek(pc, p->file, p->index - 1);
        if (!q || !q->dirty)
            break;
        p = q;
    }
    for (; p && p->dirty && n < max && n < PCACHE_RUN_MAX;
         p = pcache_peek(pc, p->file, p->index + 1))
        run[n++] = p;
    int err = pc->ops.writeback_run(pc->ops.ctx, run[0]->file, run, n);
    if (err < 0)
        return err;
    for (uint32_t i = 0; i < n; i++)
        mark_clean(pc, run[i]);
    return n;
}

int64_t pcache_writeback(struct pcache *pc, uint64_t file, bool all,
                         uint64_t max_bytes)
{
    int64_t written = 0;
    uint64_t bytes = 0;
    struct pcache_page *p = pc->oldest;
    while (p && bytes < max_bytes) {
        if (!p->dirty || (!all && p->file != file)) {
            p = p->newer;
            continue;
        }
        if (pc->ops.writeback_run) {
            uint64_t room = max_bytes - bytes; /* > 0, maybe UINT64_MAX */
            uint64_t left = room / PCACHE_PAGE + (room % PCACHE_PAGE != 0);
            int64_t n = write_run(
                pc, p, left > PCACHE_RUN_MAX ? PCACHE_RUN_MAX : (uint32_t)left);
            if (n < 0)
                return n;
            written += n;
            bytes += (uint64_t)n * PCACHE_PAGE;
            p = pc->oldest; /* the run may have cleaned pages anywhere */
            continue;
        }
        int err = pc->ops.writeback(pc->ops.ctx, p->file, p->index, p->data,
                                    p->valid);
        if (err < 0)
            return err;
        mark_clean(pc, p);
        bytes += PCACHE_PAGE;
        written++;
        p = p->newer;
    }
    return written;
}

void pcache_drop_file(struct pcache *pc, uint64_t file, uint64_t from)
{
    struct pcache_page *p = pc->oldest;
    while (p) {
        struct pcache_page *newer = p->newer;
        if (p->file == file && p->index >= from)
            forget(pc, p);
        p = newer;
    }
}

uint64_t pcache_drop_dirty(struct pcache *pc)
{
    uint64_t n = 0;
    struct pcache_page *p = pc->oldest;
    while (p) {
        struct pcache_page *newer = p->newer;
        if (p->dirty) {
            forget(pc, p);
            n++;
        }
        p = newer;
    }
    return n;
}

uint64_t pcache_drop_clean(struct pcache *pc)
{
    return pcache_reclaim(pc, pc->pages);
}

void pcache_destroy(struct pcache *pc)
{
    while (pc->oldest)
        forget(pc, pc->oldest);
}
