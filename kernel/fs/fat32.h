/*
 * FAT32: Ember's own filesystem driver, the interface the kernel sits on.
 *
 * A volume is mounted from any struct blockdev (an ATA disk, one partition,
 * an image file in the host tests). Paths are '/'-separated and resolved from
 * the volume's root ("a/b" and "/a/b" are the same file; "." and ".." work,
 * and ".." at the root stays there). Names are UTF-8, up to 255 UTF-16 units,
 * stored as VFAT long names when they are not plain 8.3 names; lookups ignore
 * ASCII case. Files are at most 4 GiB - 1 bytes, FAT's limit.
 *
 * Every function returns 0 (or a count) on success and a negative errno on
 * failure. A damaged volume never crashes the driver: what does not add up on
 * disk is -EUCLEAN (a chain that loops, runs off the volume or ends early, a
 * directory entry pointing outside the volume), and a device error is passed
 * up as the device returned it (-EIO).
 *
 * Metadata goes to a small write-back sector cache (fs/bcache.h) and file
 * data to a page cache (fs/pcache.h); both reach the disk on fat_sync(),
 * on fat_close() and at fat_unmount().
 *
 * Locking: the portable code takes no locks. The kernel must serialise all
 * calls on one volume (and on its open files) with one sleeping mutex per
 * volume; every call may sleep in the block device. Different volumes are
 * independent.
 * Portable: yes; also built into the tests/host/test_fat32_*.c tests.
 * See: docs/storage.md
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "fs/blockdev.h"

/*
 * Open flags. The values are Linux's O_* so the kernel's open() can pass
 * them through, but FAT32 defines its own names: portable code includes no
 * libc header.
 */
#define FAT_O_RDONLY    0x0000
#define FAT_O_WRONLY    0x0001
#define FAT_O_RDWR      0x0002
#define FAT_O_ACCMODE   0x0003
#define FAT_O_CREAT     0x0040
#define FAT_O_EXCL      0x0080
#define FAT_O_TRUNC     0x0200
#define FAT_O_APPEND    0x0400
#define FAT_O_DIRECTORY 0x10000

/* fat_seek() origins, Linux's SEEK_* values. */
#define FAT_SEEK_SET 0
#define FAT_SEEK_CUR 1
#define FAT_SEEK_END 2

/* Directory entry attributes (byte 11 of an entry). */
#define FAT_ATTR_READ_ONLY 0x01
#define FAT_ATTR_HIDDEN    0x02
#define FAT_ATTR_SYSTEM    0x04
#define FAT_ATTR_VOLUME_ID 0x08
#define FAT_ATTR_DIRECTORY 0x10
#define FAT_ATTR_ARCHIVE   0x20

#define FAT_NAME_MAX       255 /* UTF-16 units in a long name */
#define FAT_NAME_BUF       768 /* a name as UTF-8, with its NUL */
#define FAT_SHORT_NAME_BUF 40  /* 11 code page 850 characters as UTF-8, '.' */
/*
 * A path handed in: the kernel's walk builds absolute paths past Linux's
 * PATH_MAX for files deep below a working directory (fs/vfs.h).
 */
#define FAT_PATH_MAX       65536
#define FAT_FILE_SIZE_MAX  0xFFFFFFFFu

/* A calendar time as FAT stores it: local time, 1980..2107, 2 s steps. */
struct fat_clock_time {
    uint16_t year; /* 1980..2107 */
    uint8_t month; /* 1..12 */
    uint8_t day;   /* 1..31 */
    uint8_t hour;
    uint8_t minute;
    uint8_t second; /* stored rounded down to an even second */
};

struct fat_mount_opts {
    /*
     * The current time, for timestamps: the kernel plugs in the RTC. NULL
     * stamps every change 1980-01-01 00:00:00.
     */
    void (*now)(void *ctx, struct fat_clock_time *out);
    void *now_ctx;
    uint32_t cache_sectors; /* size of the sector cache; 0: 128 */
    /*
     * The page cache's memory: page_alloc returns one 4 KiB page or NULL
     * (then the cache reclaims one of its own), page_free takes it back,
     * page_busy (may be NULL) says a page is also used elsewhere so it
     * must stay. page_alloc NULL: the heap. cache_pages caps the cache;
     * 0: 1024 pages.
     */
    void *(*page_alloc)(void *ctx);
    void (*page_free)(void *ctx, void *page);
    bool (*page_busy)(void *ctx, const void *page);
    /*
     * Optional, with page_alloc: n pages at consecutive addresses, each
     * later freed on its own by page_free, or NULL. A read fills such a
     * run straight from the device (in the kernel: DMA into the frames);
     * without one it reads into a bounce buffer and copies each page.
     */
    void *(*page_alloc_run)(void *ctx, uint32_t n);
    void *page_ctx;
    uint64_t cache_pages;
    /*
     * Clusters a removal or truncation frees in one call: the rest of a
     * longer chain waits for fat_free_pending(), the caller's bounded
     * steps. 0: every chain is freed at once (fat_mark_clean() and
     * fat_unmount() always finish the rest).
     */
    uint32_t free_step;
};

struct fat_volume;
struct fat_file;

struct fat_stat {
    uint32_t size; /* bytes; 0 for directories */
    uint8_t attr;  /* FAT_ATTR_* */
    bool is_dir;
    uint32_t first_cluster;
    struct fat_clock_time mtime; /* last write */
    struct fat_clock_time ctime; /* creation */
};

/* One entry from fat_readdir(); "." and ".." too, except in the root. */
struct fat_dirent {
    char name[FAT_NAME_BUF]; /* long name if it has one, else the 8.3 name */
    char short_name[FAT_SHORT_NAME_BUF]; /* the 8.3 name, e.g. README~1.TXT */
    uint32_t size;
    uint8_t attr;
    bool is_dir;
    struct fat_clock_time mtime;
};

struct fat_statfs {
    uint32_t cluster_size;   /* bytes */
    uint32_t total_clusters; /* data clusters on the volume */
    uint32_t free_clusters;
    bool free_exact; /* false: FSInfo's count, not yet checked */
};

/*
 * Mount the FAT32 volume on bd (the whole device: pass a partition's view,
 * see fs/mbr.h). The boot sector is validated and anything that is not FAT32
 * is refused with a klog line saying why: -EINVAL if it is not a FAT32
 * volume at all (no signature, a FAT12/16 layout, fewer than 65,525
 * clusters, a sector size other than bd's), -EUCLEAN if its fields do not add
 * up (FATs or data past the end, a FAT too small for its clusters, a root
 * directory outside the volume). Also -ENOMEM or the device's error. The free
 * cluster count is recounted from the FAT, and FSInfo corrected if it was
 * wrong. opts may be NULL. A volume not cleanly unmounted is checked and
 * repaired before the mount returns (fat32_check.c); one with damage a
 * power cut cannot leave, or whose check failed, is mounted read-only
 * (fat_writable() is -EROFS) with nothing written; fat_sync() of a
 * volume refused as damaged returns 0 while nothing was changed in it.
 */
int fat_mount(struct blockdev *bd, const struct fat_mount_opts *opts,
              struct fat_volume **out);

/*
 * Sync, mark clean (fat_mark_clean()) and free the volume; returns the
 * sync's result (the volume is freed either way). -EBUSY, and nothing
 * done, while files are open.
 */
int fat_unmount(struct fat_volume *vol);

/*
 * Write every cached change to the device (FAT copies, directory entries,
 * FSInfo, partial data sectors), then flush the device. 0 or the error.
 */
int fat_sync(struct fat_volume *vol);

/*
 * Open path with FAT_O_* flags. FAT_O_CREAT makes a missing file (not a
 * directory), FAT_O_EXCL fails with -EEXIST if it exists, FAT_O_TRUNC empties
 * it, FAT_O_APPEND makes every write go to the end. A directory opens only
 * read-only (for fat_readdir). Errors: -ENOENT, -ENOTDIR (a path component,
 * or FAT_O_DIRECTORY on a file), -EISDIR (writing a directory), -EEXIST,
 * -EACCES (writing a read-only file), -EINVAL (a bad name), -ENAMETOOLONG,
 * -ENOSPC (no room for the entry), -EUCLEAN, -EIO, -ENOMEM.
 */
int fat_open(struct fat_volume *vol, const char *path, int flags,
             struct fat_file **out);

/* Close, then fat_sync() the volume. Returns the sync's result. */
int fat_close(struct fat_file *f);

/*
 * Close without syncing: dirty pages and metadata stay cached for the
 * caller's next fat_sync() (the kernel's flusher). Returns true when the
 * close itself changed the volume (the last handle of an unlinked file
 * freed its clusters), so the caller knows a sync is due.
 */
bool fat_release(struct fat_file *f);

/*
 * Read up to len bytes at the file position and advance it. Returns the
 * count (0 at or past the end), -EISDIR, -EBADF (opened write-only), or
 * -EUCLEAN/-EIO; on an error mid-way, the bytes already read are returned.
 */
int64_t fat_read(struct fat_file *f, void *buf, size_t len);

/*
 * Write len bytes at the position (at the end with FAT_O_APPEND), growing
 * the file, filling any gap before the position with zeros. Returns the
 * count, which is short only when the volume fills up (the next write then
 * returns -ENOSPC) or at 4 GiB - 1 (then -EFBIG). Also -EBADF, -EUCLEAN, -EIO.
 */
int64_t fat_write(struct fat_file *f, const void *buf, size_t len);

/*
 * Move the position (FAT_SEEK_SET/CUR/END); past the end is allowed, and a
 * write there fills the gap with zeros. Returns the new position or -EINVAL.
 * On a directory only fat_seek(f, 0, FAT_SEEK_SET), a rewind, is allowed.
 */
int64_t fat_seek(struct fat_file *f, int64_t off, int whence);

/* Set the size: shrinking frees clusters, growing fills with zeros. */
int fat_ftruncate(struct fat_file *f, uint64_t size);
int fat_truncate(struct fat_volume *vol, const char *path, uint64_t size);

int fat_fstat(struct fat_file *f, struct fat_stat *out);
int fat_stat(struct fat_volume *vol, const char *path, struct fat_stat *out);

/*
 * The next entry of a directory opened with fat_open(). Returns 1 and fills
 * *out, 0 at the end, -ENOTDIR, or -EUCLEAN/-EIO.
 */
int fat_readdir(struct fat_file *dir, struct fat_dirent *out);

/* Make a directory (with its "." and ".." entries). -EEXIST, -ENOENT, ... */
int fat_mkdir(struct fat_volume *vol, const char *path);

/* Remove a file. -EISDIR for a directory, -EBUSY if it is open. */
int fat_unlink(struct fat_volume *vol, const char *path);

/* Remove an empty directory: -ENOTEMPTY, -ENOTDIR, -EBUSY (open, or root). */
int fat_rmdir(struct fat_volume *vol, const char *path);

/*
 * Rename or move across directories, replacing an existing target as POSIX
 * rename() does (a file by a file, an empty directory by a directory).
 * Errors: -ENOENT, -ENOTDIR/-EISDIR (the kinds differ), -ENOTEMPTY,
 * -EINVAL (a directory into itself, ".", "..", a bad name), -EBUSY (the
 * root, or an open target), -ENOSPC.
 */
int fat_rename(struct fat_volume *vol, const char *from, const char *to);

/*
 * Sets (read_only true) or clears a file's FAT_ATTR_READ_ONLY: chmod's
 * owner write bit. 0 (also for the root, which has no entry), -ENOENT,
 * -EUCLEAN/-EIO.
 */
int fat_set_read_only(struct fat_volume *vol, const char *path, bool read_only);

/*
 * Sizes and free space. The first call after a mount that trusted FSInfo
 * counts the free clusters (fat_verify_free()), so the answer is exact.
 * Errors: the device's.
 */
int fat_statfs(struct fat_volume *vol, struct fat_statfs *out);

/* As fat_statfs(), but never reads the FAT: the free count as it stands. */
void fat_statfs_now(struct fat_volume *vol, struct fat_statfs *out);

/*
 * A mount trusts a sane FSInfo free count instead of reading the whole FAT.
 * This counts the free clusters once and corrects the count (one klog line,
 * FSInfo rewritten at the next sync) if FSInfo was wrong; later calls do
 * nothing. fat_sync(), fat_statfs() and an allocation that finds the count
 * at zero call it themselves. Returns 0 or the device's error.
 */
int fat_verify_free(struct fat_volume *vol);

/*
 * Errors and the clean-shutdown bit (fat32_guard.c). The first write the
 * device refuses makes the volume read-only: nothing more is written, and
 * fat_sync() returns that error from then on. fat_writable() is 0, or
 * -EROFS once that happened; fat_error() is the error, or 0.
 */
int fat_writable(const struct fat_volume *vol);
int fat_error(const struct fat_volume *vol);

/*
 * FAT[1]'s clean bit. fat_mark_dirty() clears it in the cache before the
 * first change (the kernel calls it with every change; later calls do
 * nothing); fat_mark_clean() syncs and, if that worked, sets it again and
 * syncs once more: a clean unmount. Both return 0 or the device's error.
 * fat_was_dirty(): the bit was clear when the volume was mounted (the
 * mount also logged it).
 */
int fat_mark_dirty(struct fat_volume *vol);
int fat_mark_clean(struct fat_volume *vol);
bool fat_was_dirty(const struct fat_volume *vol);

/*
 * The bound on one call's work, which the kernel holds its volume lock for
 * (issue #16): a fat_read(), fat_write() or fat_ftruncate() extension of at
 * most FAT_STEP_BYTES moves at most FAT_HOLD_BYTES of file data to or from
 * the device (its readahead, a write's throttling writeback and the partial
 * pages it reads first, or its data written around a full cache), and
 * fat_writeback(vol, FAT_HOLD_BYTES) moves at most that.
 */
#define FAT_HOLD_BYTES (1u << 20)
#define FAT_STEP_BYTES (64u << 10)
/*
 * ... and clusters freed per step of a long free (fat_mount_opts'
 * free_step): as many as a hold may allocate, 1 MiB of 4 KiB clusters.
 */
#define FAT_FREE_STEP  256u

/*
 * The page cache (fs/fat32_pcache.c). fat_writeback() writes dirty pages
 * back, oldest first, stopping after max_bytes (so the kernel can hold
 * its volume lock in bounded steps), and returns the pages written (0:
 * none were dirty) or the device's error. fat_sync() writes them all.
 */
int64_t fat_writeback(struct fat_volume *vol, uint64_t max_bytes);

/*
 * The cached page `index` of an open file, filled if need be, for mapping:
 * 0 and *data (PCACHE_PAGE bytes; zeros past the end of the file), -EISDIR,
 * -ENXIO (the page starts at or past the end), -ENOMEM, or the read's
 * error. The page stays valid until the next fat_* call on the volume.
 */
int fat_page(struct fat_file *f, uint64_t index, void **data);

/*
 * One piece of a read straight from the page cache: `len` bytes at `off` in
 * the cached page `data` (PCACHE_PAGE bytes).
 */
struct fat_span {
    void *data;
    uint32_t off, len;
};

/*
 * fat_read()'s work without its copy, for a caller that copies the bytes
 * itself after it has unlocked: fills up to `max` spans with the cached
 * pages that hold the `len` bytes at `pos`, reading missing pages (and the
 * readahead window) from the disk as fat_read() does, and leaves f's
 * position alone. Returns the bytes the spans cover (*count of them; 0 at
 * or past the end of the file), -EISDIR, -EBADF (opened write-only), or
 * -EIO when not even the first page can be cached (no memory, or the
 * device failed): fat_read() then reads around the cache and gives the
 * bytes before a bad sector, or the error. Only the first page is ever
 * read from the disk: a later miss ends the spans early. The pages stay
 * valid until the next fat_* call on the volume.
 */
int64_t fat_read_spans(struct fat_file *f, uint64_t pos, size_t len,
                       struct fat_span *spans, unsigned max, unsigned *count);

/*
 * fat_page() for a writable shared mapping (MAP_SHARED, PROT_WRITE): the
 * page is marked dirty now and again before every fat_sync() while it is
 * mapped (pcache_map_writable()). -EACCES unless f was opened O_RDWR.
 */
int fat_page_writable(struct fat_file *f, uint64_t index, void **data);

/*
 * Marks the pages mapped writable dirty again (fat_sync() does it first;
 * a caller that writes back on its own calls it before). Returns how many
 * are still mapped: while any are, the volume needs a sync now and then.
 */
uint64_t fat_redirty_mapped(struct fat_volume *vol);

/*
 * Once the volume is read-only (fat_writable() < 0), its dirty pages can
 * never reach the disk: this forgets them (later reads see the disk's
 * data) and returns how many. 0, doing nothing, while it is writable.
 */
uint64_t fat_drop_dirty(struct fat_volume *vol);

/*
 * Frees at most max clusters of the chains waiting to be freed (see
 * fat_mount_opts' free_step), and returns how many chains still wait (0:
 * none) or the device's error. Between calls the waiting clusters are
 * allocated and named by nothing: lost clusters, as fsck.fat would say.
 */
int64_t fat_free_pending(struct fat_volume *vol, uint32_t max);

/* Clusters freed since the mount: work, for the kernel's bound on a hold. */
uint64_t fat_clusters_freed(const struct fat_volume *vol);

/* Forget every clean page that is not busy (drop_caches); returns how many. */
uint64_t fat_drop_clean(struct fat_volume *vol);

/* Free up to n clean pages, least recently used first; returns how many. */
uint64_t fat_reclaim(struct fat_volume *vol, uint64_t n);

struct fat_cache_stats {
    uint64_t pages, dirty_pages;
    uint64_t hits, misses, reclaimed;
    uint64_t pages_read;    /* pages filled from the device */
    uint64_t pages_written; /* dirty pages written back */
    uint64_t data_bytes;    /* file data moved to or from the device */
    uint64_t clusters_allocated;
};

void fat_cache_stats(struct fat_volume *vol, struct fat_cache_stats *out);

/* Seconds since 1970-01-01 for a FAT time, read as UTC. */
int64_t fat_clock_to_unix(const struct fat_clock_time *t);
