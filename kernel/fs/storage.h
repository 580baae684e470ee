/*
 * The root volume: the FAT32 filesystem on the first ATA disk, its one
 * sleeping mutex, and the flusher thread that writes its changes back.
 *
 * storage_init() finds the disk (kernel/drivers/ata.h), finds the volume on
 * it through the MBR or as a whole-disk volume (fs/mbr.h), mounts it with
 * the RTC as the clock (fs/fat32.h) and starts the flusher. Every fat_*
 * call on the volume must be made between storage_lock() and
 * storage_unlock(), as fat32.h requires; a caller that changed anything
 * calls storage_mark_dirty() before unlocking, and the flusher then syncs
 * within about a second, so metadata-only changes (rename, unlink, mkdir)
 * reach the disk without a close.
 *
 * Locking: storage.lock, a sleeping mutex, serialises the volume; it is
 * never held across a user copy (callers use kernel buffers).
 * Context: task; every function may sleep.
 * See: docs/storage.md
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "fs/fat32.h"

#define STORAGE_FLUSH_MS   1000 /* the flusher's period */
/* The most file data one hold of the lock moves (issue #16). */
#define STORAGE_HOLD_BYTES FAT_HOLD_BYTES

/* What a hold of the lock is for, to count the largest hold of each. */
enum storage_op {
    STORAGE_OP_OTHER,     /* open, stat, rename, ...: metadata */
    STORAGE_OP_READ,      /* read, pread: one step */
    STORAGE_OP_WRITE,     /* write, pwrite: one step */
    STORAGE_OP_TRUNCATE,  /* one step of an ftruncate */
    STORAGE_OP_PAGE,      /* one page for exec or mmap */
    STORAGE_OP_WRITEBACK, /* the flusher, sync, close, reclaim */
    STORAGE_OP_COUNT,
};

/*
 * Mounts the root volume and starts the flusher. Returns 0; -ENODEV when
 * there is no ATA disk; or the error of finding (-ENOENT: no FAT32 volume)
 * or mounting it (-EINVAL, -EUCLEAN: refused). Each failure logs one
 * `storage:` line and boot goes on without a root volume. Boot, in a task.
 */
int storage_init(void);

/* The mounted volume, or NULL if none. Use it only under storage_lock(). */
struct fat_volume *storage_volume(void);

/*
 * Take and release the volume's mutex. Each hold is counted (the file data
 * it moved and the clusters it allocated, storage_get_stats()), under the
 * operation given to storage_lock_for(); storage_lock() counts as
 * STORAGE_OP_OTHER. The mutex hands itself to the longest waiter, so a
 * task that unlocks and locks again queues behind every task that was
 * waiting: long operations that unlock between bounded steps let the
 * others in at every step.
 */
void storage_lock(void);
void storage_lock_for(enum storage_op op);
void storage_unlock(void);

/* Records that the volume has unsynced changes. Needs the lock held. */
void storage_mark_dirty(void);

/*
 * Frees the chains a removal or truncation left waiting, FAT_FREE_STEP
 * clusters per hold of the lock, letting every waiter in between steps;
 * stops early (the next change goes on) if the caller gets a fatal
 * signal. Called and returns with the lock held.
 */
void storage_free_pending(void);

/*
 * Writes every cached change to the disk and flushes the disk's cache.
 * Takes the lock itself. 0 (also with no volume) or the error.
 */
int storage_sync(void);

/*
 * The frame of a page-cache page (from fat_page()), with one more owner
 * taken for the caller. Needs the lock held.
 */
uint64_t storage_share_page(void *data);

/* drop_caches: forgets every clean, unmapped page; returns how many. */
uint64_t storage_drop_caches(void);

struct storage_stats {
    uint64_t syncs;         /* storage_sync() calls that reached fat_sync() */
    uint64_t flusher_syncs; /* of which the flusher made */
    int last_error;         /* of the latest failed sync, 0 if none */
    uint64_t reclaim_calls; /* the frame allocator's hook ran */
    /* Holds of the lock: how many, and the most work one did (in all and
     * per operation): file data moved to or from the disk, clusters
     * allocated or freed. */
    uint64_t holds;
    uint64_t max_hold_bytes, max_hold_clusters;
    uint64_t op_max_bytes[STORAGE_OP_COUNT];
    uint64_t op_max_clusters[STORAGE_OP_COUNT];
    struct fat_cache_stats cache;
};

/* "read", "write", ... for /proc/ember. */
const char *storage_op_name(enum storage_op op);

void storage_get_stats(struct storage_stats *out);
