/*
 * The File Allocation Table: one 32-bit entry per cluster, naming the next.
 *
 * A file is a chain: its directory entry names the first cluster, and each
 * FAT entry names the next, until an end-of-chain mark. Entries are read and
 * written through the sector cache, so a walk down a chain costs one device
 * read per 128 entries (a 512-byte FAT sector) the first time and none after.
 * Every change goes to each FAT copy in use (both, normally), keeping the
 * copies identical as fsck.fat and Windows expect.
 *
 * Long chains are freed in steps when the caller asks (fat_mount_opts'
 * free_step, the kernel's bound on one hold of its lock): the first step
 * at once, the rest queued in the volume for fat_free_pending().
 *
 * Nothing on disk is trusted. fat_next() refuses a link to a free, bad or
 * out-of-range cluster with -EUCLEAN, and every walk that follows links to
 * the end of a chain is bounded by the cluster count, so a chain that loops
 * ends in -EUCLEAN instead of forever.
 *
 * Locking: none (see fat32.h).
 * Portable: yes; also built into the tests/host/test_fat32_*.c tests.
 * See: docs/storage.md
 */
#include "fs/fat32_internal.h"

#include <ember/errno.h>
#include "lib/portable.h"

#define FAT_ENTRY_BYTES 4

bool fat_cluster_ok(const struct fat_volume *vol, uint32_t c)
{
    return c >= FAT_FIRST_CLUSTER && c - FAT_FIRST_CLUSTER < vol->cluster_count;
}

uint64_t fat_cluster_lba(const struct fat_volume *vol, uint32_t c)
{
    return vol->data_lba +
           (uint64_t)(c - FAT_FIRST_CLUSTER) * vol->sectors_per_cluster;
}

/* Where cluster c's entry sits in FAT copy 0: sector and byte offset. */
static void entry_place(const struct fat_volume *vol, uint32_t c, uint64_t *lba,
                        uint32_t *off)
{
    uint64_t byte = (uint64_t)c * FAT_ENTRY_BYTES;
    *lba = vol->fat_lba + byte / vol->sector_size;
    *off = (uint32_t)(byte % vol->sector_size);
}

int fat_get(struct fat_volume *vol, uint32_t c, uint32_t *value)
{
    if (!fat_cluster_ok(vol, c))
        return -EUCLEAN;
    uint64_t lba;
    uint32_t off, raw;
    entry_place(vol, c, &lba, &off);
    int err = bcache_read(vol->bc, lba, off, sizeof raw, &raw);
    if (err < 0)
        return err;
    *value = raw & FAT_ENTRY_MASK;
    return 0;
}

int fat_set(struct fat_volume *vol, uint32_t c, uint32_t value)
{
    KASSERT(fat_cluster_ok(vol, c));
    uint64_t lba;
    uint32_t off, raw;
    entry_place(vol, c, &lba, &off);
    int err = bcache_read(vol->bc, lba, off, sizeof raw, &raw);
    if (err < 0)
        return err;
    /* The top four bits are reserved: keep whatever they held. */
    raw = (raw & ~FAT_ENTRY_MASK) | (value & FAT_ENTRY_MASK);
    for (uint32_t i = 0; i < vol->fat_copies; i++) {
        uint64_t copy_lba = lba + (uint64_t)i * vol->fat_sectors;
        err = bcache_write(vol->bc, copy_lba, off, sizeof raw, &raw);
        if (err < 0)
            return err;
    }
    return 0;
}

int fat_next(struct fat_volume *vol, uint32_t c, uint32_t *next)
{
    uint32_t v;
    int err = fat_get(vol, c, &v);
    if (err < 0)
        return err;
    if (v >= FAT_EOC_MIN) {
        *next = 0;
        return 0;
    }
    if (!fat_cluster_ok(vol, v)) {
        klog(LOG_ERR, "fat: cluster %u links to %#x, not a data cluster", c, v);
        return -EUCLEAN;
    }
    *next = v;
    return 0;
}

/* Scan for a free entry from `start`, wrapping once around the volume. */
static int find_free(struct fat_volume *vol, uint32_t start, uint32_t *out)
{
    uint32_t c = start;
    for (uint32_t n = 0; n < vol->cluster_count; n++) {
        if (!fat_cluster_ok(vol, c))
            c = FAT_FIRST_CLUSTER;
        uint32_t v;
        int err = fat_get(vol, c, &v);
        if (err < 0)
            return err;
        if (v == FAT_FREE) {
            *out = c;
            return 0;
        }
        c++;
    }
    return -ENOSPC;
}

int fat_alloc(struct fat_volume *vol, uint32_t prev, uint32_t *out)
{
    if (vol->free_count == 0) {
        /* FSInfo may have said 0 wrongly: count before refusing. */
        int err = fat_verify_free(vol);
        if (err < 0)
            return err;
        if (vol->free_count == 0)
            return -ENOSPC;
    }
    /* Right after prev keeps a growing file contiguous; else the hint. */
    uint32_t start = prev != 0 ? prev + 1 : vol->last_alloc + 1;
    uint32_t c = 0;
    int err = find_free(vol, start, &c);
    if (err == -ENOSPC) {
        klog(LOG_WARN, "fat: free count was %u but no cluster is free",
             vol->free_count);
        vol->free_count = 0;
        vol->fsinfo_dirty = true;
        vol->free_unverified = false; /* found wrong, and corrected */
    }
    if (err < 0)
        return err;
    err = fat_set(vol, c, FAT_EOC);
    if (err == 0 && prev != 0)
        err = fat_set(vol, prev, c);
    if (err < 0)
        return err;
    vol->free_count--;
    vol->clusters_allocated++;
    vol->last_alloc = c;
    vol->fsinfo_dirty = true;
    *out = c;
    return 0;
}

/*
 * Frees up to max clusters of the chain from *c on, the caller having made
 * that safe (fat_free_chain()); *c becomes the first cluster not freed (0:
 * the chain is gone). A loop ends at a cluster already freed, which
 * fat_next() refuses, so the walk is bounded without a count.
 */
static int free_run(struct fat_volume *vol, uint32_t *c, uint32_t *max)
{
    while (*c != 0 && *max > 0) {
        uint32_t next;
        int err = fat_next(vol, *c, &next);
        if (err < 0)
            return err;
        err = fat_set(vol, *c, FAT_FREE);
        if (err < 0)
            return err;
        vol->free_count++;
        vol->clusters_freed++;
        vol->fsinfo_dirty = true;
        --*max;
        *c = next;
    }
    return 0;
}

/*
 * Frees the chain from c: all of it, or with a step set, one step now and
 * the rest queued for fat_free_pending(). Between steps the rest is still
 * allocated and named by nothing: lost clusters, never a cluster in use.
 */
static int free_from(struct fat_volume *vol, uint32_t c)
{
    bool queue = vol->free_step != 0 && vol->n_pending < FAT_PENDING_MAX;
    uint32_t max = queue ? vol->free_step : UINT32_MAX;
    int err = free_run(vol, &c, &max);
    if (err == 0 && c != 0)
        vol->pending[vol->n_pending++] = c;
    return err;
}

int64_t fat_free_pending(struct fat_volume *vol, uint32_t max)
{
    while (vol->n_pending > 0 && max > 0) {
        uint32_t *c = &vol->pending[vol->n_pending - 1];
        int err = free_run(vol, c, &max);
        if (err < 0 || *c == 0)
            vol->n_pending--; /* done, or given up: its rest stays lost */
        if (err < 0)
            return err;
    }
    return vol->n_pending;
}

/*
 * Before clusters are freed, every change already made (the entry that no
 * longer names them, a smaller size) is written out: bcache_sync() writes
 * in LBA order, the FAT before the directories, so a free in the same sync
 * could reach the disk before the entry does, and a power cut between the
 * two would leave an entry naming free clusters. This way a cut loses at
 * most the frees (lost clusters, which fsck.fat reclaims).
 */
int fat_free_chain(struct fat_volume *vol, uint32_t first)
{
    fat_pc_forget(vol, first); /* the pages must not outlive the clusters */
    if (first == 0)
        return 0;
    int err = bcache_sync(vol->bc);
    return err < 0 ? err : free_from(vol, first);
}

uint64_t fat_clusters_freed(const struct fat_volume *vol)
{
    return vol->clusters_freed;
}

int fat_trim_chain(struct fat_volume *vol, uint32_t first, uint32_t keep)
{
    KASSERT(keep >= 1);
    uint32_t c = first;
    for (uint32_t i = 1; i < keep; i++) {
        int err = fat_next(vol, c, &c);
        if (err < 0)
            return err;
        if (c == 0)
            return -EUCLEAN; /* shorter than the size said */
    }
    uint32_t rest;
    int err = fat_next(vol, c, &rest);
    if (err < 0 || rest == 0)
        return err;
    err = bcache_sync(vol->bc); /* the smaller size first: see above */
    if (err == 0)
        err = fat_set(vol, c, FAT_EOC);
    if (err < 0)
        return err;
    fat_pc_forget(vol, rest);
    return free_from(vol, rest);
}

int fat_zero_cluster(struct fat_volume *vol, uint32_t c)
{
    return bcache_write_direct(vol->bc, fat_cluster_lba(vol, c),
                               vol->sectors_per_cluster, vol->zeros);
}

/* Free entries among clusters [first, first + n) of one loaded chunk. */
static uint32_t count_zero(const uint32_t *entries, uint32_t n)
{
    uint32_t free = 0;
    for (uint32_t i = 0; i < n; i++)
        if ((entries[i] & FAT_ENTRY_MASK) == FAT_FREE)
            free++;
    return free;
}

int fat_count_free(struct fat_volume *vol, uint32_t *out)
{
    uint32_t per_sector = vol->sector_size / FAT_ENTRY_BYTES;
    uint32_t end = FAT_FIRST_CLUSTER + vol->cluster_count; /* entries used */
    uint32_t sectors = (end + per_sector - 1) / per_sector;
    /* The mount's scratch cluster: the count may run in the flusher long
     * after the mount, and allocates nothing then. */
    uint32_t *buf = (uint32_t *)vol->scratch;
    uint32_t chunk = vol->sectors_per_cluster;
    uint32_t free = 0;
    int err = 0;
    for (uint32_t s = 0; s < sectors; s += chunk) {
        uint32_t n = sectors - s < chunk ? sectors - s : chunk;
        err = bcache_read_direct(vol->bc, vol->fat_lba + s, n, buf);
        if (err < 0)
            break;
        uint32_t first = s * per_sector; /* cluster number of buf[0] */
        uint32_t lo = first < FAT_FIRST_CLUSTER ? FAT_FIRST_CLUSTER : first;
        uint32_t hi = first + n * per_sector;
        if (hi > end)
            hi = end;
        free += count_zero(buf + (lo - first), hi - lo);
    }
    *out = free;
    return err;
}
