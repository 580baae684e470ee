/*
 * File data: from a byte range to cluster runs and sector I/O.
 *
 * A read or write is cut at cluster boundaries only where the chain is not
 * contiguous: each piece that starts on a sector boundary is extended over
 * the following clusters for as long as each is the previous one plus one,
 * and the whole run moves with ONE blockdev call (bcache_*_direct). Only the
 * partial sectors at the two ends go through the sector cache. At 4 KiB
 * clusters on a freshly written volume a 16 MiB file is a handful of calls,
 * not 4,096 or 32,768.
 *
 * Finding the cluster of a file offset walks the chain, so every handle
 * caches its place: cluster number `cache_index` of the chain is
 * `cache_cluster`. A sequential read or write continues from there instead
 * of from the first cluster, making a whole-file pass linear in its length.
 * A node's `gen` is bumped whenever clusters leave its chain, which tells
 * every handle on it that its cached place may be gone.
 *
 * Reads and writes of file data go through the page cache
 * (fat32_pcache.c), which calls fat_io_direct() to fill and write back its
 * pages; the cluster-run I/O below is that function.
 *
 * Sizes are exact at every step: a write grows the chain first (as far as
 * the free space allows), writes the data, then sets the size, and gives
 * back any cluster the data did not reach, so that the chain always holds
 * exactly ceil(size / cluster size) clusters, as fsck.fat checks.
 *
 * Locking: none (see fat32.h).
 * Portable: yes; also built into the tests/host/test_fat32_*.c tests.
 * See: docs/storage.md
 */
#include "fs/fat32_internal.h"

#include <ember/errno.h>
#include "lib/portable.h"

#define FAT_RUN_MAX_SECTORS 65536 /* one device call; drivers split further */

uint32_t fat_clusters_for(const struct fat_volume *vol, uint64_t bytes)
{
    return (uint32_t)((bytes + vol->cluster_size - 1) / vol->cluster_size);
}

/* The cluster holding chain position idx of f's file. */
static int cluster_at(struct fat_file *f, uint32_t idx, uint32_t *out)
{
    struct fat_node *node = f->node;
    uint32_t i = 0, c = node->first_cluster;
    if (f->cache_cluster != 0 && f->cache_gen == node->gen &&
        f->cache_index <= idx) {
        i = f->cache_index;
        c = f->cache_cluster;
    }
    if (c == 0)
        return -EUCLEAN;
    for (; i < idx; i++) {
        int err = fat_next(f->vol, c, &c);
        if (err < 0)
            return err;
        if (c == 0) {
            klog(LOG_ERR, "fat: chain of cluster %u ends before its size",
                 node->first_cluster);
            return -EUCLEAN;
        }
    }
    f->cache_gen = node->gen;
    f->cache_index = idx;
    f->cache_cluster = c;
    *out = c;
    return 0;
}

/*
 * Whole sectors from byte `off` of cluster c (chain position idx) onwards,
 * across every following contiguous cluster: one device call. *done gets
 * the bytes moved, a multiple of the sector size.
 */
static int io_run(struct fat_file *f, uint32_t idx, uint32_t c, uint32_t off,
                  uint8_t *buf, size_t len, bool write, size_t *done)
{
    struct fat_volume *vol = f->vol;
    uint64_t want = len - len % vol->sector_size;
    if (want > (uint64_t)FAT_RUN_MAX_SECTORS * vol->sector_size)
        want = (uint64_t)FAT_RUN_MAX_SECTORS * vol->sector_size;
    uint64_t run = vol->cluster_size - off;
    uint32_t last = c;
    while (run < want) {
        uint32_t next;
        if (fat_next(vol, last, &next) < 0 || next != last + 1)
            break; /* an error shows up at the next cluster_at() */
        last = next;
        idx++;
        run += vol->cluster_size;
    }
    uint64_t bytes = run < want ? run : want;
    uint64_t lba = fat_cluster_lba(vol, c) + off / vol->sector_size;
    uint32_t n = (uint32_t)(bytes / vol->sector_size);
    int err = write ? bcache_write_direct(vol->bc, lba, n, buf)
                    : bcache_read_direct(vol->bc, lba, n, buf);
    if (err < 0)
        return err;
    f->cache_gen = f->node->gen;
    f->cache_index = idx;
    f->cache_cluster = last;
    *done = (size_t)bytes;
    return 0;
}

int64_t fat_io_direct(struct fat_file *f, uint64_t pos, void *buf_, size_t len,
                      bool write)
{
    uint8_t *buf = buf_;
    struct fat_volume *vol = f->vol;
    size_t done = 0;
    int err = 0;
    while (done < len) {
        uint64_t at = pos + done;
        uint32_t off = (uint32_t)(at % vol->cluster_size);
        uint32_t idx = (uint32_t)(at / vol->cluster_size), c;
        err = cluster_at(f, idx, &c);
        if (err < 0)
            break;
        uint32_t in_sector = off % vol->sector_size;
        size_t n;
        if (in_sector == 0 && len - done >= vol->sector_size) {
            err = io_run(f, idx, c, off, buf + done, len - done, write, &n);
        } else {
            uint64_t lba = fat_cluster_lba(vol, c) + off / vol->sector_size;
            n = vol->sector_size - in_sector;
            if (n > len - done)
                n = len - done;
            err = write ? bcache_write(vol->bc, lba, in_sector, n, buf + done)
                        : bcache_read(vol->bc, lba, in_sector, n, buf + done);
        }
        if (err < 0)
            break;
        done += n;
    }
    vol->data_bytes += done;
    return done > 0 ? (int64_t)done : err;
}

int64_t fat_io_read(struct fat_file *f, uint64_t pos, void *buf, size_t len)
{
    return fat_pc_read(f, pos, buf, len);
}

/* Cut f's chain to `keep` clusters (0: none at all). */
static int trim_to(struct fat_file *f, uint32_t keep)
{
    struct fat_node *node = f->node;
    if (node->first_cluster == 0)
        return 0;
    node->gen++;
    fat_pc_truncate(f->vol, node, node->size);
    if (keep > 0)
        return fat_trim_chain(f->vol, node->first_cluster, keep);
    int err = fat_free_chain(f->vol, node->first_cluster);
    node->first_cluster = 0;
    return err;
}

/* Add up to `count` clusters after the first `have`; *got says how many. */
static int grow(struct fat_file *f, uint32_t have, uint32_t count,
                uint32_t *got)
{
    struct fat_node *node = f->node;
    uint32_t prev = 0;
    int err = 0;
    if (have > 0)
        err = cluster_at(f, have - 1, &prev);
    else if (node->first_cluster != 0)
        err = trim_to(f, 0); /* a stray chain on an empty file: drop it */
    *got = 0;
    while (err == 0 && *got < count) {
        uint32_t c;
        err = fat_alloc(f->vol, prev, &c);
        if (err < 0)
            break;
        if (have + *got == 0)
            node->first_cluster = c;
        prev = c;
        ++*got;
        f->cache_gen = node->gen;
        f->cache_index = have + *got - 1;
        f->cache_cluster = c;
    }
    return *got > 0 ? 0 : err;
}

int fat_node_store(struct fat_volume *vol, struct fat_node *node, bool touch)
{
    if (node->is_root || node->orphan)
        return 0; /* no entry to update */
    struct fat_dirent_raw de;
    int err =
        bcache_read(vol->bc, node->ent_lba, node->ent_off, sizeof de, &de);
    if (err < 0)
        return err;
    fat_entry_set_cluster(&de, node->first_cluster);
    de.size = node->size;
    if (touch) {
        fat_time_stamp(vol, &de, false);
        de.attr |= FAT_ATTR_ARCHIVE;
    }
    return bcache_write(vol->bc, node->ent_lba, node->ent_off, sizeof de, &de);
}

int64_t fat_io_write(struct fat_file *f, uint64_t pos, const void *buf,
                     size_t len)
{
    struct fat_node *node = f->node;
    KASSERT(pos <= node->size && len <= FAT_FILE_SIZE_MAX - pos);
    uint64_t end = pos + len;
    uint32_t have = fat_clusters_for(f->vol, node->size);
    uint32_t need = fat_clusters_for(f->vol, end);
    if (need > have) {
        uint32_t got;
        int err = grow(f, have, need - have, &got);
        if (err < 0)
            return err;
        uint64_t room = (uint64_t)(have + got) * f->vol->cluster_size;
        if (room < end)
            end = room; /* the volume is full: a short write */
    }
    int64_t n = fat_pc_write(f, pos, buf, (size_t)(end - pos));
    if (n > 0 && pos + (uint64_t)n > node->size)
        node->size = (uint32_t)(pos + (uint64_t)n);
    /* Give back clusters the data did not reach (a short or failed write). */
    uint32_t keep = fat_clusters_for(f->vol, node->size);
    int err = 0;
    if (fat_clusters_for(f->vol, end) > keep)
        err = trim_to(f, keep);
    if (err == 0)
        err = fat_node_store(f->vol, node, true);
    if (n > 0)
        return n;
    return n < 0 ? n : err;
}

/* Grow the file to `size` with zeros; on failure it keeps its old size. */
static int extend_zero(struct fat_file *f, uint64_t size)
{
    struct fat_node *node = f->node;
    uint32_t old = node->size;
    while (node->size < size) {
        uint64_t chunk = size - node->size;
        if (chunk > f->vol->cluster_size)
            chunk = f->vol->cluster_size;
        int64_t n = fat_io_write(f, node->size, f->vol->zeros, (size_t)chunk);
        if (n < 0) {
            node->size = old;
            int err = trim_to(f, fat_clusters_for(f->vol, old));
            if (err == 0)
                err = fat_node_store(f->vol, node, false);
            return n;
        }
    }
    return 0;
}

int fat_file_truncate(struct fat_file *f, uint64_t size)
{
    struct fat_node *node = f->node;
    if (size > FAT_FILE_SIZE_MAX)
        return -EFBIG;
    if (size > node->size)
        return extend_zero(f, size);
    int err = 0;
    if (size < node->size) {
        node->size = (uint32_t)size; /* first: trim_to() drops pages past it */
        err = trim_to(f, fat_clusters_for(f->vol, size));
    }
    if (err == 0)
        err = fat_node_store(f->vol, node, true);
    return err;
}

int fat_file_extend(struct fat_file *f, uint64_t size)
{
    return extend_zero(f, size);
}
