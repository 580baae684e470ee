/*
 * A small write-back cache of single sectors, in front of one block device.
 *
 * FAT32 keeps its metadata here: FAT sectors, directory sectors, the FSInfo
 * sector, and the partial sectors at the two ends of a file write. Each
 * buffer holds one sector, found by a linear scan that first tries the most
 * recently used buffer (a FAT walk or a directory scan hits the same sector
 * dozens of times in a row). A miss evicts the least recently used buffer,
 * writing it back first if it is dirty (and, for a sector outside the range
 * given to bcache_set_first(), every dirty sector in that range before it).
 * Nothing else is written until
 * bcache_sync(): FAT32 calls it from fat_sync() and fat_close(), and the
 * kernel's flusher thread will call fat_sync() about once a second.
 *
 * Bulk file data bypasses the buffers: bcache_read_direct() and
 * bcache_write_direct() move a run of whole sectors with one device call,
 * and keep the cache coherent with it: a direct read sees dirty cached
 * sectors, and a direct write refreshes cached copies of what it wrote.
 *
 * Locking: none; the owner (one FAT volume, serialised by the kernel's volume
 * mutex) calls in one at a time.
 * Portable: yes; also built into the tests/host/test_fat32_*.c tests.
 * See: docs/storage.md
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include "fs/blockdev.h"

struct bcache;

/* Counters for tests and `make bench`. */
struct bcache_stats {
    uint64_t hits;         /* bcache_read/write found the sector cached */
    uint64_t misses;       /* ... and had to load it (or evict for it) */
    uint64_t writebacks;   /* dirty sectors written to the device */
    uint64_t direct_calls; /* device calls made by the *_direct functions */
};

/*
 * A cache of nbufs sectors (at least 4) over bd. Returns 0 and *out, -EINVAL
 * for a bad size, or -ENOMEM.
 */
int bcache_create(struct blockdev *bd, uint32_t nbufs, struct bcache **out);

/* Free the cache. Dirty sectors are dropped: call bcache_sync() first. */
void bcache_destroy(struct bcache *bc);

/*
 * Copy len bytes at byte off of sector lba into dst (off + len must not
 * exceed the sector size). Returns 0 or the device's error.
 */
int bcache_read(struct bcache *bc, uint64_t lba, uint32_t off, uint32_t len,
                void *dst);

/*
 * Copy len bytes from src into sector lba at off and mark it dirty. A partial
 * sector is read from the device first; a whole one is not. Returns 0 or the
 * device's error (from that read, or from writing back an evicted buffer).
 */
int bcache_write(struct bcache *bc, uint64_t lba, uint32_t off, uint32_t len,
                 const void *src);

/* Read n sectors with one device call, overlaid by dirty cached sectors. */
int bcache_read_direct(struct bcache *bc, uint64_t lba, uint32_t n, void *buf);

/* Write n sectors with one device call; cached copies take the new data. */
int bcache_write_direct(struct bcache *bc, uint64_t lba, uint32_t n,
                        const void *buf);

/*
 * Write every dirty sector back, in ascending LBA order, then flush the
 * device. Returns 0, or the first error (the failed sectors stay dirty).
 */
int bcache_sync(struct bcache *bc);

/* True if a sector is dirty: bcache_sync() has something to write. */
bool bcache_dirty(const struct bcache *bc);

/*
 * Sectors [lba, lba + n) reach the device first: before a dirty sector
 * outside them is evicted, every dirty sector inside them is written, in
 * LBA order. FAT32 gives its FATs, so that an allocation reaches the disk
 * before the directory entry naming it, on eviction as on sync. Default:
 * no such range.
 */
void bcache_set_first(struct bcache *bc, uint64_t lba, uint64_t n);

/* A copy of the counters. */
void bcache_get_stats(const struct bcache *bc, struct bcache_stats *out);
