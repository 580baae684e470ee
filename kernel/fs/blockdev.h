/*
 * Block devices: what a filesystem needs from a disk, and nothing more.
 *
 * A block device reads and writes whole sectors, several at a time, at a
 * logical block address (LBA). The ATA driver, one partition of a disk and an
 * image file in the host tests all look the same through this struct, so
 * FAT32 never knows which one it is on. Callers go through blockdev_read()
 * and blockdev_write(), which check the range once for every device, so a
 * driver's own read/write may assume 0 < n and lba + n <= sectors.
 *
 * A partition is a blockdev over a sub-range of another: blockdev_part_init()
 * fills one in, shifting every LBA by the partition's start.
 *
 * Locking: none here. A blockdev is used by one filesystem, which the kernel
 * serialises with the volume's mutex; a driver shared by several partitions
 * serialises its own hardware access.
 * Portable: yes; also built into the tests/host/test_fat32_*.c tests.
 * See: docs/storage.md
 */
#pragma once

#include <stdint.h>

struct blockdev {
    uint32_t sector_size; /* bytes per sector: 512 for every disk we meet */
    uint64_t sectors;     /* size of the device in sectors */
    /*
     * Read or write n >= 1 whole sectors starting at lba, with one device
     * command where the hardware allows it (the driver splits longer runs).
     * Return 0 or a negative errno (-EIO on a device error).
     */
    int (*read)(struct blockdev *bd, uint64_t lba, uint32_t n, void *buf);
    int (*write)(struct blockdev *bd, uint64_t lba, uint32_t n,
                 const void *buf);
    /* Push the device's write cache to the medium; NULL if it has none. */
    int (*flush)(struct blockdev *bd);
    void *priv; /* ATA channel in the kernel, an image file on the host */
};

/*
 * Read n sectors at lba into buf. Returns 0, -EINVAL if n is 0 or the range
 * runs past the device's end (nothing is read then), or the driver's error.
 */
int blockdev_read(struct blockdev *bd, uint64_t lba, uint32_t n, void *buf);

/* Write n sectors at lba from buf. Errors as blockdev_read(). */
int blockdev_write(struct blockdev *bd, uint64_t lba, uint32_t n,
                   const void *buf);

/* Flush the device's write cache. Returns 0 (also when it has none) or -EIO.
 */
int blockdev_flush(struct blockdev *bd);

/* A partition: a window of `sectors` sectors starting at `start` on parent. */
struct blockdev_part {
    struct blockdev bd; /* the view handed to the filesystem */
    struct blockdev *parent;
    uint64_t start; /* first sector of the window, in parent's LBAs */
};

/*
 * Make part a blockdev over parent's sectors [start, start + sectors).
 * Returns 0, or -EINVAL if the window is empty or runs past parent's end.
 */
int blockdev_part_init(struct blockdev_part *part, struct blockdev *parent,
                       uint64_t start, uint64_t sectors);
