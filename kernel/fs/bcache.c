/*
 * The sector cache: a fixed array of buffers, LRU by a use counter.
 *
 * Each buffer is tagged with its LBA; a lookup checks the most recently used
 * buffer, then scans the array. At the default 128 buffers the scan is a few
 * hundred nanoseconds, far below one sector's I/O, so there is no hash table
 * to keep consistent. The LRU victim is the buffer with the smallest use
 * stamp; the stamp is a 64-bit counter and never wraps in practice.
 *
 * Write order. bcache_sync() writes in LBA order, and FAT32 keeps its FATs
 * below its directories, so a sync writes the allocations before the
 * entries that point at them. An eviction writes one sector alone, out of
 * that order: so before a dirty sector outside the range given to
 * bcache_set_first() (the FATs) is evicted, every dirty sector inside it is
 * written first, in LBA order. A power cut then never leaves a directory
 * entry on the disk naming clusters whose allocation is not there.
 *
 * Locking: none (see bcache.h).
 * Portable: yes; also built into the tests/host/test_fat32_*.c tests.
 * See: docs/storage.md
 */
#include "fs/bcache.h"

#include <stdbool.h>
#include <stddef.h>
#include <ember/errno.h>
#include "lib/portable.h"

#define BCACHE_MIN_BUFS 4
#define BCACHE_NO_BUF   UINT32_MAX

struct bcache_buf {
    uint64_t lba;
    uint64_t last_use; /* bc->clock when last touched; 0 = never */
    bool valid;        /* holds sector lba */
    bool dirty;        /* differs from the device */
    uint8_t *data;     /* sector_size bytes inside bc->mem */
};

struct bcache {
    struct blockdev *bd;
    uint32_t sector_size;
    uint32_t nbufs;
    uint32_t mru; /* index of the last buffer found, or BCACHE_NO_BUF */
    uint64_t clock;
    uint64_t first_lba, first_count; /* bcache_set_first()'s range */
    struct bcache_buf *bufs;
    uint8_t *mem;
    struct bcache_stats stats;
};

int bcache_create(struct blockdev *bd, uint32_t nbufs, struct bcache **out)
{
    if (nbufs < BCACHE_MIN_BUFS || bd->sector_size == 0)
        return -EINVAL;
    struct bcache *bc = kmalloc(sizeof *bc);
    if (bc == NULL)
        return -ENOMEM;
    memset(bc, 0, sizeof *bc);
    bc->bd = bd;
    bc->sector_size = bd->sector_size;
    bc->nbufs = nbufs;
    bc->mru = BCACHE_NO_BUF;
    bc->bufs = kmalloc(sizeof(struct bcache_buf) * nbufs);
    bc->mem = kmalloc((size_t)bd->sector_size * nbufs);
    if (bc->bufs == NULL || bc->mem == NULL) {
        bcache_destroy(bc);
        return -ENOMEM;
    }
    for (uint32_t i = 0; i < nbufs; i++) {
        bc->bufs[i] = (struct bcache_buf){
            .data = bc->mem + (size_t)i * bd->sector_size,
        };
    }
    *out = bc;
    return 0;
}

void bcache_destroy(struct bcache *bc)
{
    if (bc == NULL)
        return;
    kfree(bc->mem);
    kfree(bc->bufs);
    kfree(bc);
}

static struct bcache_buf *find(struct bcache *bc, uint64_t lba)
{
    if (bc->mru != BCACHE_NO_BUF) {
        struct bcache_buf *b = &bc->bufs[bc->mru];
        if (b->valid && b->lba == lba)
            return b;
    }
    for (uint32_t i = 0; i < bc->nbufs; i++) {
        struct bcache_buf *b = &bc->bufs[i];
        if (b->valid && b->lba == lba) {
            bc->mru = i;
            return b;
        }
    }
    return NULL;
}

static int write_back(struct bcache *bc, struct bcache_buf *b)
{
    int err = blockdev_write(bc->bd, b->lba, 1, b->data);
    if (err < 0)
        return err;
    b->dirty = false;
    bc->stats.writebacks++;
    return 0;
}

static bool in_first(const struct bcache *bc, uint64_t lba)
{
    return lba >= bc->first_lba && lba - bc->first_lba < bc->first_count;
}

/* The dirty buffer with the lowest LBA above `after` (or any, if first),
 * only inside bcache_set_first()'s range if `first_range`. */
static struct bcache_buf *next_dirty(struct bcache *bc, bool first,
                                     uint64_t after, bool first_range)
{
    struct bcache_buf *best = NULL;
    for (uint32_t i = 0; i < bc->nbufs; i++) {
        struct bcache_buf *b = &bc->bufs[i];
        if (!b->valid || !b->dirty || (!first && b->lba <= after))
            continue;
        if (first_range && !in_first(bc, b->lba))
            continue;
        if (best == NULL || b->lba < best->lba)
            best = b;
    }
    return best;
}

/* Writes the dirty sectors (of the first range only, if first_range) in
 * LBA order; returns the first error, the failed sectors left dirty. */
static int write_dirty(struct bcache *bc, bool first_range)
{
    int first_err = 0;
    struct bcache_buf *b = next_dirty(bc, true, 0, first_range);
    while (b != NULL) {
        uint64_t lba = b->lba;
        int err = write_back(bc, b);
        if (err < 0 && first_err == 0)
            first_err = err;
        b = next_dirty(bc, false, lba, first_range);
    }
    return first_err;
}

/* Writes an evicted dirty buffer, the first range's dirty sectors before
 * it when it lies outside that range (see the write order above). */
static int evict(struct bcache *bc, struct bcache_buf *b)
{
    if (!in_first(bc, b->lba)) {
        int err = write_dirty(bc, true);
        if (err < 0)
            return err;
    }
    return write_back(bc, b);
}

/*
 * The buffer for lba, loaded from the device unless `load` is false (the
 * caller overwrites the whole sector). Evicts the LRU buffer on a miss.
 */
static int get(struct bcache *bc, uint64_t lba, bool load,
               struct bcache_buf **out)
{
    struct bcache_buf *b = find(bc, lba);
    if (b != NULL) {
        bc->stats.hits++;
        b->last_use = ++bc->clock;
        *out = b;
        return 0;
    }
    bc->stats.misses++;
    uint32_t victim = 0;
    for (uint32_t i = 0; i < bc->nbufs; i++) {
        if (!bc->bufs[i].valid) {
            victim = i;
            break;
        }
        if (bc->bufs[i].last_use < bc->bufs[victim].last_use)
            victim = i;
    }
    b = &bc->bufs[victim];
    if (b->valid && b->dirty) {
        int err = evict(bc, b);
        if (err < 0)
            return err;
    }
    b->valid = false;
    if (load) {
        int err = blockdev_read(bc->bd, lba, 1, b->data);
        if (err < 0)
            return err;
    }
    b->lba = lba;
    b->valid = true;
    b->dirty = false;
    b->last_use = ++bc->clock;
    bc->mru = victim;
    *out = b;
    return 0;
}

int bcache_read(struct bcache *bc, uint64_t lba, uint32_t off, uint32_t len,
                void *dst)
{
    KASSERT(off <= bc->sector_size && len <= bc->sector_size - off);
    struct bcache_buf *b;
    int err = get(bc, lba, true, &b);
    if (err < 0)
        return err;
    memcpy(dst, b->data + off, len);
    return 0;
}

int bcache_write(struct bcache *bc, uint64_t lba, uint32_t off, uint32_t len,
                 const void *src)
{
    KASSERT(off <= bc->sector_size && len <= bc->sector_size - off);
    struct bcache_buf *b;
    int err = get(bc, lba, len != bc->sector_size, &b);
    if (err < 0)
        return err;
    memcpy(b->data + off, src, len);
    b->dirty = true;
    return 0;
}

int bcache_read_direct(struct bcache *bc, uint64_t lba, uint32_t n, void *buf)
{
    int err = blockdev_read(bc->bd, lba, n, buf);
    if (err < 0)
        return err;
    bc->stats.direct_calls++;
    for (uint32_t i = 0; i < bc->nbufs; i++) {
        struct bcache_buf *b = &bc->bufs[i];
        if (b->valid && b->dirty && b->lba >= lba && b->lba - lba < n)
            memcpy((uint8_t *)buf + (b->lba - lba) * bc->sector_size, b->data,
                   bc->sector_size);
    }
    return 0;
}

int bcache_write_direct(struct bcache *bc, uint64_t lba, uint32_t n,
                        const void *buf)
{
    int err = blockdev_write(bc->bd, lba, n, buf);
    if (err < 0)
        return err;
    bc->stats.direct_calls++;
    for (uint32_t i = 0; i < bc->nbufs; i++) {
        struct bcache_buf *b = &bc->bufs[i];
        if (b->valid && b->lba >= lba && b->lba - lba < n) {
            memcpy(b->data,
                   (const uint8_t *)buf + (b->lba - lba) * bc->sector_size,
                   bc->sector_size);
            b->dirty = false;
        }
    }
    return 0;
}

int bcache_sync(struct bcache *bc)
{
    int first_err = write_dirty(bc, false);
    int err = blockdev_flush(bc->bd);
    return first_err < 0 ? first_err : err;
}

bool bcache_dirty(const struct bcache *bc)
{
    for (uint32_t i = 0; i < bc->nbufs; i++)
        if (bc->bufs[i].valid && bc->bufs[i].dirty)
            return true;
    return false;
}

void bcache_set_first(struct bcache *bc, uint64_t lba, uint64_t n)
{
    bc->first_lba = lba;
    bc->first_count = n;
}

void bcache_get_stats(const struct bcache *bc, struct bcache_stats *out)
{
    *out = bc->stats;
}
