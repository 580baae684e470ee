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
 * The page cache. File data lives in the volume's page cache
 * (fs/fat32_pcache.c) in frames from the frame allocator; the cache leaves
 * STORAGE_RESERVE_FRAMES free for programs, and when the frame allocator
 * runs dry anyway, its reclaim hook (storage_reclaim(), registered with
 * pmm_set_reclaim()) drops clean pages, least recently used first, and
 * writes dirty ones back first when none are clean. A page that a program
 * also maps (a frame with more than one owner) is busy and stays. Every
 * writeback outside a write call goes in holds of the lock of at most
 * STORAGE_HOLD_BYTES (issue #16's bound).
 *
 * Bounded holds. Every hold is counted by what it was for (enum
 * storage_op) and the work the volume did in it: the file data moved to
 * or from the disk and the clusters allocated or freed (the volume's own
 * counters, read at lock and unlock). The largest of each, in all and per
 * operation, is in /proc/ember; the tests check it against
 * STORAGE_HOLD_BYTES after 100 MiB extensions, 64 MiB transfers and
 * execs. A long operation is cut into steps of one hold each by its
 * caller (fs/fatfs.c); the mutex's hand-off (sched/mutex.c) queues it
 * behind every waiter at each step. Freeing a long chain (an unlink or
 * truncation of a big file) is one of them: the volume frees FAT_FREE_STEP
 * clusters in the call and queues the rest, which the caller frees in
 * steps (storage_free_pending()).
 *
 * Locking: storage.lock (a sleeping mutex) guards the volume and `dirty`;
 * the counters are updated under it too. Lock order: storage.lock, then the
 * ATA channel's mutex (taken inside fat_* calls).
 * Context: task.
 * See: docs/storage.md
 */
#include "fs/storage.h"

#include <ember/errno.h>

#include "arch/x86_64/cpu.h"
#include "drivers/ata.h"
#include "drivers/rtc.h"
#include "fs/blockdev.h"
#include "fs/mbr.h"
#include "fs/pcache.h"
#include "lib/portable.h"
#include "mm/layout.h"
#include "mm/pmm.h"
#include "sched/mutex.h"
#include "sched/sched.h"
#include "sched/task.h"
#include "sched/wait.h"

#define STORAGE_RESERVE_FRAMES 2048 /* 8 MiB the cache leaves to programs */
#define STORAGE_RECLAIM_BATCH  64   /* pages dropped per reclaim call */

static struct {
    struct mutex lock;
    struct fat_volume *vol;     /* set once by storage_init() */
    struct blockdev_part part;  /* the volume's window on the disk */
    bool dirty;                 /* guarded by lock */
    struct storage_stats stats; /* guarded by lock */
    /* The current hold (lock): what for, and the volume's work counters
     * when it began. */
    enum storage_op hold_op;
    uint64_t hold_bytes, hold_clusters;
    bool reclaiming; /* reclaim running, or a run allocated: no reclaim */
} storage = {.lock = MUTEX_INIT("storage")};

/* Starts counting a hold; the lock is held. */
static void hold_begin(enum storage_op op)
{
    storage.hold_op = op;
    if (storage.vol) {
        struct fat_cache_stats cs;
        fat_cache_stats(storage.vol, &cs);
        storage.hold_bytes = cs.data_bytes;
        storage.hold_clusters =
            cs.clusters_allocated + fat_clusters_freed(storage.vol);
    }
}

static void raise_to(uint64_t *max, uint64_t v)
{
    if (v > *max)
        *max = v;
}

/* Records the work of the hold that ends; the lock is still held. Dirty
 * pages of a volume that turned read-only in it are dropped here, once,
 * where nothing is walking the cache. */
static void hold_end(void)
{
    struct storage_stats *st = &storage.stats;
    st->holds++;
    if (storage.vol == NULL)
        return;
    uint64_t lost = fat_drop_dirty(storage.vol);
    if (lost)
        klog(LOG_ERR,
             "storage: the volume is read-only: %lu dirty pages dropped, "
             "their data lost",
             (unsigned long)lost);
    struct fat_cache_stats cs;
    fat_cache_stats(storage.vol, &cs);
    uint64_t bytes = cs.data_bytes - storage.hold_bytes;
    uint64_t clusters = cs.clusters_allocated +
                        fat_clusters_freed(storage.vol) - storage.hold_clusters;
    raise_to(&st->max_hold_bytes, bytes);
    raise_to(&st->max_hold_clusters, clusters);
    raise_to(&st->op_max_bytes[storage.hold_op], bytes);
    raise_to(&st->op_max_clusters[storage.hold_op], clusters);
}

static void lock(enum storage_op op)
{
    mutex_lock(&storage.lock);
    hold_begin(op);
}

static void unlock(void)
{
    hold_end();
    mutex_unlock(&storage.lock);
}

/* Lets every waiter in, then goes on with the same kind of work. */
static void let_others_in(void)
{
    enum storage_op op = storage.hold_op;
    unlock();
    lock(op);
}

/* ---- the page cache's frames ---- */

static void *cache_page_alloc(void *ctx)
{
    struct pmm_stats st;
    (void)ctx;
    pmm_get_stats(&st);
    if (st.free_frames < STORAGE_RESERVE_FRAMES)
        return NULL; /* the cache reuses one of its own pages instead */
    paddr_t f = pmm_alloc();
    return f ? hhdm_ptr(f) : NULL;
}

/*
 * A readahead window's pages as one run of contiguous frames, which the
 * DMA engine fills straight (a few PRD entries, no bounce copy); each is
 * freed on its own later. NULL (the cache then reads through its bounce
 * buffer) when the run would eat into the programs' reserve, or none is
 * free.
 */
static void *cache_page_alloc_run(void *ctx, uint32_t n)
{
    struct pmm_stats st;
    (void)ctx;
    pmm_get_stats(&st);
    if (st.free_frames < STORAGE_RESERVE_FRAMES + n)
        return NULL;
    /* Frames are free, only not in one run: the reclaim hook must not
     * empty the cache looking for one (the flag makes it refuse). Others
     * meanwhile find the reserve's single frames without it. */
    bool was = storage.reclaiming;
    storage.reclaiming = true;
    paddr_t f = pmm_alloc_run(n, 1);
    storage.reclaiming = was;
    return f ? hhdm_ptr(f) : NULL;
}

static paddr_t page_phys(const void *page)
{
    return (paddr_t)((uintptr_t)page - HHDM_BASE);
}

static void cache_page_free(void *ctx, void *page)
{
    (void)ctx;
    pmm_free(page_phys(page));
}

/* Mapped into a process too (exec, mmap): the frame has other owners. */
static bool cache_page_busy(void *ctx, const void *page)
{
    (void)ctx;
    return pmm_sharers(page_phys(page)) > 1;
}

/*
 * The frame allocator's hook. It never sleeps on the volume lock: it takes
 * it only if it is free, or works under it when the caller already holds
 * it (the cache allocating for itself). Dropping clean pages only frees
 * memory, so it is allowed anywhere, page faults included (they run with
 * interrupts off); writing dirty pages back sleeps on the disk, so it
 * happens only with interrupts on and a lock of our own taking, never
 * under the caller's (whose bounce buffer it would reuse). With
 * interrupts off and the lock held by the current task, that task may be
 * in the middle of the cache: nothing is done.
 */
static uint64_t storage_reclaim(uint64_t frames)
{
    if (storage.vol == NULL || storage.reclaiming)
        return 0;
    bool irqs_on = read_rflags() & RFLAGS_IF;
    bool mine = mutex_held(&storage.lock);
    if ((mine && !irqs_on) || (!mine && !mutex_trylock(&storage.lock)))
        return 0;
    if (!mine)
        hold_begin(STORAGE_OP_WRITEBACK);
    storage.reclaiming = true;
    uint64_t want =
        frames > STORAGE_RECLAIM_BATCH ? frames : STORAGE_RECLAIM_BATCH;
    uint64_t got = fat_reclaim(storage.vol, want);
    if (got == 0 && !mine && irqs_on &&
        fat_writeback(storage.vol, STORAGE_HOLD_BYTES) > 0)
        got = fat_reclaim(storage.vol, want);
    storage.reclaiming = false;
    storage.stats.reclaim_calls++;
    if (!mine)
        unlock();
    return got;
}

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

static uint64_t dirty_bytes(void)
{
    struct fat_cache_stats cs;
    fat_cache_stats(storage.vol, &cs);
    return cs.dirty_pages * PCACHE_PAGE;
}

/*
 * Writes dirty pages back, STORAGE_HOLD_BYTES per hold of the lock, until
 * what is left fits in one hold: the caller's fat_sync() or fat_close()
 * then writes it in this hold. Waiting for none at all could take for
 * ever while another task writes (each turn it dirties what this one just
 * wrote). Called with the lock held; returns with it; 0 or the device's
 * error.
 */
static int settle(void)
{
    KASSERT(mutex_held(&storage.lock));
    while (dirty_bytes() > STORAGE_HOLD_BYTES) {
        int64_t n = fat_writeback(storage.vol, STORAGE_HOLD_BYTES);
        if (n < 0)
            return (int)n;
        let_others_in();
    }
    return 0;
}

/*
 * Writes every dirty page back in bounded holds, then syncs the metadata.
 * Called with the lock held; returns with it.
 */
static int sync_locked(bool from_flusher)
{
    KASSERT(mutex_held(&storage.lock));
    fat_redirty_mapped(storage.vol); /* before the bounded steps below */
    int err = settle();
    if (err == 0)
        err = fat_sync(storage.vol);
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
        lock(STORAGE_OP_WRITEBACK);
        /* Pages mapped MAP_SHARED and writable change without a write
         * call: while there are any, every period syncs them. */
        if (storage.dirty || fat_redirty_mapped(storage.vol) > 0)
            sync_locked(true);
        unlock();
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
    struct pmm_stats pm;
    pmm_get_stats(&pm);
    struct fat_mount_opts opts = {
        .now = rtc_now,
        .page_alloc = cache_page_alloc,
        .page_alloc_run = cache_page_alloc_run,
        .page_free = cache_page_free,
        .page_busy = cache_page_busy,
        .cache_pages = pm.total_frames, /* bounded by the reserve instead */
        .free_step = FAT_FREE_STEP,     /* storage_free_pending()'s steps */
    };
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
    pmm_set_reclaim(storage_reclaim);
    if (!task_create("flusher", flusher, NULL, true))
        klog(LOG_ERR, "storage: no memory for the flusher; changes reach "
                      "the disk only on sync and power-off");
    return 0;
}

struct fat_volume *storage_volume(void)
{
    return storage.vol;
}

void storage_lock(void)
{
    lock(STORAGE_OP_OTHER);
}

void storage_lock_for(enum storage_op op)
{
    KASSERT(op < STORAGE_OP_COUNT);
    lock(op);
}

void storage_unlock(void)
{
    unlock();
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
    lock(STORAGE_OP_WRITEBACK);
    int err = sync_locked(false);
    unlock();
    return err;
}

void storage_free_pending(void)
{
    KASSERT(mutex_held(&storage.lock));
    /* The change itself freed one step in this hold: others first. */
    while (fat_free_pending(storage.vol, 0) > 0) {
        let_others_in();
        if (wait_fatal_pending())
            return; /* the next change's caller goes on with it */
        if (fat_free_pending(storage.vol, FAT_FREE_STEP) < 0)
            return; /* logged; what it could not free stays lost */
    }
}

uint64_t storage_share_page(void *data)
{
    KASSERT(mutex_held(&storage.lock));
    paddr_t frame = page_phys(data);
    pmm_share(frame);
    return frame;
}

uint64_t storage_drop_caches(void)
{
    if (storage.vol == NULL)
        return 0;
    lock(STORAGE_OP_OTHER);
    uint64_t n = fat_drop_clean(storage.vol);
    unlock();
    return n;
}

void storage_get_stats(struct storage_stats *out)
{
    mutex_lock(&storage.lock);
    *out = storage.stats;
    memset(&out->cache, 0, sizeof out->cache);
    if (storage.vol)
        fat_cache_stats(storage.vol, &out->cache);
    mutex_unlock(&storage.lock);
}

const char *storage_op_name(enum storage_op op)
{
    static const char *const names[STORAGE_OP_COUNT] = {
        [STORAGE_OP_OTHER] = "other", [STORAGE_OP_READ] = "read",
        [STORAGE_OP_WRITE] = "write", [STORAGE_OP_TRUNCATE] = "truncate",
        [STORAGE_OP_PAGE] = "page",   [STORAGE_OP_WRITEBACK] = "writeback",
    };
    return op < STORAGE_OP_COUNT ? names[op] : "?";
}
