/*
 * The page cache's core: file data in page-sized buffers indexed by (file,
 * page index), least recently used first out, dirty pages written back in
 * bounded steps.
 *
 * This is the index and the policy only: the caller names a file by a
 * 64-bit id of its own, and gives the cache its callbacks (fill a page
 * from the file, write pages back, get or free a page's memory, and say
 * whether a page is in use elsewhere). FAT32 holds one per volume
 * (fs/fat32_pcache.c), keyed by a file's first cluster; docs/storage.md
 * tells the life of a page.
 *
 * Locking: none here; the caller serialises every call on one cache (in
 * the kernel: the volume's mutex).
 * Portable: also built into tests/host/test_pcache.c.
 * See: docs/storage.md
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PCACHE_PAGE    4096u
#define PCACHE_BUCKETS 256u /* hash chains; a power of two */

struct pcache_page {
    uint64_t file;  /* the caller's id */
    uint64_t index; /* page number in the file */
    uint8_t *data;  /* PCACHE_PAGE bytes */
    uint32_t valid; /* bytes of data that hold file contents */
    bool dirty;
    bool wmapped; /* mapped writable and shared: may change unseen */
    struct pcache_page *hnext;         /* hash chain */
    struct pcache_page *newer, *older; /* LRU list */
};

struct pcache_ops {
    /*
     * Reads page `index` of `file` into page (PCACHE_PAGE bytes). Returns
     * the bytes that are file contents (less than a page at the end of the
     * file, 0 past it), or a negative errno.
     */
    int64_t (*fill)(void *ctx, uint64_t file, uint64_t index, void *page);
    /* Writes the first len bytes of page back. 0 or a negative errno. */
    int (*writeback)(void *ctx, uint64_t file, uint64_t index, const void *page,
                     uint32_t len);
    /*
     * Optional, used instead of writeback when set: writes n dirty pages
     * of file with consecutive indexes from pages[0]->index, each its
     * `valid` bytes, in one go. 0 or a negative errno (all stay dirty).
     */
    int (*writeback_run)(void *ctx, uint64_t file, struct pcache_page **pages,
                         uint32_t n);
    void *(*page_alloc)(void *ctx); /* NULL when memory is short */
    void (*page_free)(void *ctx, void *page);
    /* Optional: true while a page is also used elsewhere (mapped): reclaim
     * and drop_caches leave it. */
    bool (*busy)(void *ctx, const void *page);
    void *ctx;
};

#define PCACHE_RUN_MAX 256u /* pages per writeback_run call: 1 MiB */

struct pcache_stats {
    uint64_t hits, misses, fills_failed;
    uint64_t written_back, reclaimed;
};

struct pcache {
    struct pcache_ops ops;
    struct pcache_page *bucket[PCACHE_BUCKETS];
    struct pcache_page *newest, *oldest; /* the LRU list */
    uint64_t pages, dirty_pages;
    uint64_t wmapped_pages; /* pages with wmapped set */
    uint64_t max_pages;     /* above this, a miss first reclaims */
    struct pcache_stats stats;
};

/* An empty cache holding at most max_pages before it reclaims. */
void pcache_init(struct pcache *pc, const struct pcache_ops *ops,
                 uint64_t max_pages);

/*
 * The page `index` of `file`, filled on a miss and made the most recently
 * used. Returns 0 with *out, or -ENOMEM (no page, nothing to reclaim) or
 * the fill's error.
 */
int pcache_get(struct pcache *pc, uint64_t file, uint64_t index,
               struct pcache_page **out);

/*
 * The page if it is cached, made the most recently used and counted as a
 * hit; else NULL (nothing counted: the caller fills it with
 * pcache_insert()).
 */
struct pcache_page *pcache_lookup(struct pcache *pc, uint64_t file,
                                  uint64_t index);

/*
 * Caches a new page for (file, index), which must not be cached, holding
 * `valid` bytes from src (NULL: zeros) and zeros after them; counted as a
 * miss. Returns 0 with *out, or -ENOMEM (no memory, nothing to reclaim).
 */
int pcache_insert(struct pcache *pc, uint64_t file, uint64_t index,
                  const void *src, uint32_t valid, struct pcache_page **out);

/*
 * pcache_insert() of a page the caller allocated with ops.page_alloc (or a
 * run of them) and filled: the cache takes `data` over, holding `valid`
 * bytes, and zeroes the rest. Returns 0 with *out, or -ENOMEM (no memory
 * for the page's record; data stays the caller's).
 */
int pcache_adopt(struct pcache *pc, uint64_t file, uint64_t index, void *data,
                 uint32_t valid, struct pcache_page **out);

/* The page if it is cached, without filling or reordering; else NULL. */
struct pcache_page *pcache_peek(struct pcache *pc, uint64_t file,
                                uint64_t index);

/* Marks p dirty, holding file contents up to `valid` bytes. */
void pcache_mark_dirty(struct pcache *pc, struct pcache_page *p,
                       uint32_t valid);

/*
 * Marks p as mapped writable and shared (MAP_SHARED, PROT_WRITE), and
 * dirty: a program may change it at any time without the cache seeing it,
 * so pcache_redirty_mapped() marks it dirty again before each sync.
 */
void pcache_map_writable(struct pcache *pc, struct pcache_page *p);

/*
 * Before a sync: marks every page mapped writable dirty again, since its
 * mappings may have changed it since the last writeback. A page that is no
 * longer busy (its last mapping is gone) is marked one last time and then
 * counts as unmapped. Returns the pages still mapped writable.
 */
uint64_t pcache_redirty_mapped(struct pcache *pc);

/*
 * Writes dirty pages back, oldest first, of one file (or of every file when
 * all is true), stopping after max_bytes (so a caller can hold its lock in
 * bounded steps and call again). Returns the pages written, or the first
 * error (that page stays dirty).
 */
int64_t pcache_writeback(struct pcache *pc, uint64_t file, bool all,
                         uint64_t max_bytes);

/* Frees up to n clean pages, least recently used first; returns how many. */
uint64_t pcache_reclaim(struct pcache *pc, uint64_t n);

/*
 * Forgets every page of file at or past page `from` (truncate, unlink),
 * dirty or not: their contents are no longer the file's.
 */
void pcache_drop_file(struct pcache *pc, uint64_t file, uint64_t from);

/*
 * Forgets every dirty page without writing it back: for a volume that can
 * no longer be written. Returns how many.
 */
uint64_t pcache_drop_dirty(struct pcache *pc);

/* drop_caches: frees every clean page; returns how many. */
uint64_t pcache_drop_clean(struct pcache *pc);

/* Forgets every page, dirty or not (after the last writeback, at unmount). */
void pcache_destroy(struct pcache *pc);
