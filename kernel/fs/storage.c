/*
 * The root volume: finding, mounting, locking and flushing it.
 *
 * The volume is the first FAT32 volume on the first ATA disk: a partition
 * of type 0x0B/0x0C, or the whole disk when sector 0 is a FAT32 boot
 * sector (mbr_find_fat32()). A missing disk, a disk with no FAT32 volume
 * and a volume fat_mount() refuses each leave one log line and boot goes
 * on without a root; nothing on the disk can stop the kernel
 * (docs/conventions.md, "Errors").
 *
 * Writing back. FAT32 keeps metadata in its sector cache until fat_sync()
 * (docs/storage.md, section 5). The flusher thread wakes every
 * STORAGE_FLUSH_MS and syncs if anything changed since the last sync; the
 * dirty flag saves a CACHE FLUSH command (an fdatasync on the host) every
 * second when nothing did. Shutdown syncs unconditionally
 * (shutdown_power_off()).
 *
 * Locking: storage.lock (a sleeping mutex) guards the volume and `dirty`;
 * the counters are updated under it too. Lock order: storage.lock, then the
 * ATA channel's mutex (taken inside fat_* calls).
 * Context: task.
 * See: docs/storage.md
 */
#include "fs/storage.h"

#include <ember/errno.h>

#include "drivers/ata.h"
#include "drivers/rtc.h"
#include "fs/blockdev.h"
#include "fs/mbr.h"
#include "lib/portable.h"
#include "sched/mutex.h"
#include "sched/sched.h"
#include "sched/task.h"

static struct {
    struct mutex lock;
    struct fat_volume *vol;     /* set once by storage_init() */
    struct blockdev_part part;  /* the volume's window on the disk */
    bool dirty;                 /* guarded by lock */
    struct storage_stats stats; /* guarded by lock */
} storage = {.lock = MUTEX_INIT("storage")};

/* FAT's clock: the RTC, whose UTC is taken as FAT's local time. */
static void rtc_now(void *ctx, struct fat_clock_time *out)
{
    struct rtc_time t;

    (void)ctx;
    if (rtc_read(&t) < 0) {
        *out = (struct fat_clock_time){.year = 1980, .month = 1, .day = 1};
        return;
    }
    *out = (struct fat_clock_time){
        .year = t.year,
        .month = t.month,
        .day = t.day,
        .hour = t.hour,
        .minute = t.minute,
        .second = t.second,
    };
}

#define STORAGE_REPEAT_LOG_TICKS (60 * SCHED_HZ) /* a minute */

/* Sync failures: counted, logged once and then at most once a minute. */
static struct {
    uint64_t count, logged; /* failures so far, and reported so far */
    uint64_t last_tick;     /* when the last line was logged */
} failures;                 /* guarded by storage.lock */

/*
 * A volume that failed a write fails every sync after it (it turned
 * read-only), and the flusher tries every STORAGE_FLUSH_MS: one line for
 * the first failure, then a count at most once a minute.
 */
static void report_failure(int err)
{
    uint64_t now = sched_ticks();
    failures.count++;
    if (failures.logged != 0 &&
        now - failures.last_tick < STORAGE_REPEAT_LOG_TICKS)
        return;
    if (failures.logged == 0)
        klog(LOG_ERR, "storage: sync failed (%d)", err);
    else
        klog(LOG_ERR, "storage: sync failed %llu more times (%d)",
             (unsigned long long)(failures.count - failures.logged), err);
    failures.logged = failures.count;
    failures.last_tick = now;
}

static int sync_locked(bool from_flusher)
{
    KASSERT(mutex_held(&storage.lock));
    int err = fat_sync(storage.vol);
    storage.stats.syncs++;
    if (from_flusher)
        storage.stats.flusher_syncs++;
    if (err < 0) {
        storage.stats.last_error = err;
        report_failure(err);
    } else {
        storage.dirty = false;
    }
    return err;
}

static int flusher(void *arg)
{
    (void)arg;
    for (;;) {
        sched_sleep_ms(STORAGE_FLUSH_MS);
        mutex_lock(&storage.lock);
        if (storage.dirty)
            sync_locked(true);
        mutex_unlock(&storage.lock);
    }
    return 0;
}

/* Finds the volume on disk and mounts it; logs why it cannot. */
static int mount_root(struct blockdev *disk)
{
    struct mbr_volume where;
    int err = mbr_find_fat32(disk, &where);
    if (err < 0) {
        klog(LOG_ERR, "storage: no FAT32 volume on the disk (%d)", err);
        return err;
    }
    err = blockdev_part_init(&storage.part, disk, where.start, where.sectors);
    if (err < 0) {
        klog(LOG_ERR, "storage: volume at sector %lu does not fit the disk",
             (unsigned long)where.start);
        return err;
    }
    struct fat_mount_opts opts = {.now = rtc_now};
    err = fat_mount(&storage.part.bd, &opts, &storage.vol);
    if (err < 0) {
        klog(LOG_ERR, "storage: FAT32 volume refused (%d); no root volume",
             err);
        storage.vol = NULL;
        return err;
    }
    struct fat_statfs fs;
    fat_statfs_now(storage.vol, &fs); /* no FAT scan on the boot path */
    klog(LOG_INFO,
         "storage: mounted FAT32 %s at sector %lu: %lu MiB, %lu MiB free%s, "
         "%u-byte clusters",
         where.index < 0 ? "whole disk" : "partition",
         (unsigned long)where.start,
         (unsigned long)((uint64_t)fs.total_clusters * fs.cluster_size >> 20),
         (unsigned long)((uint64_t)fs.free_clusters * fs.cluster_size >> 20),
         fs.free_exact ? "" : " (FSInfo)", fs.cluster_size);
    return 0;
}

int storage_init(void)
{
    if (ata_init() == 0 || ata_disk(0) == NULL) {
        klog(LOG_WARN, "storage: no disk; running without a root volume");
        return -ENODEV;
    }
    mutex_lock(&storage.lock);
    int err = mount_root(ata_disk(0));
    mutex_unlock(&storage.lock);
    if (err < 0)
        return err;
    if (!task_create("flusher", flusher, NULL, true))
        klog(LOG_ERR, "storage: no memory for the flusher; changes reach "
                      "the disk only on close and sync");
    return 0;
}

struct fat_volume *storage_volume(void)
{
    return storage.vol;
}

void storage_lock(void)
{
    mutex_lock(&storage.lock);
}

void storage_unlock(void)
{
    mutex_unlock(&storage.lock);
}

void storage_mark_dirty(void)
{
    KASSERT(mutex_held(&storage.lock));
    storage.dirty = true;
}

int storage_sync(void)
{
    if (storage.vol == NULL)
        return 0;
    mutex_lock(&storage.lock);
    int err = sync_locked(false);
    mutex_unlock(&storage.lock);
    return err;
}

void storage_get_stats(struct storage_stats *out)
{
    mutex_lock(&storage.lock);
    *out = storage.stats;
    mutex_unlock(&storage.lock);
}
