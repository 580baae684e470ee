/*
 * Range checks shared by every block device, and the partition view.
 *
 * blockdev_read() and blockdev_write() are the only doors to a driver: they
 * refuse a range that is empty or runs past the end, so no driver needs to
 * repeat the check and no corrupted filesystem field can make a driver touch
 * a sector outside its device. A partition's read and write add the start
 * sector and call the parent through the same checked doors.
 *
 * Locking: none (see blockdev.h).
 * Portable: yes; also built into the tests/host/test_fat32_*.c tests.
 * See: docs/storage.md
 */
#include "fs/blockdev.h"

#include <stdbool.h>
#include <stddef.h>
#include <ember/errno.h>
#include "lib/portable.h"

/* True if [lba, lba + n) is a non-empty range inside the device. */
static bool range_ok(const struct blockdev *bd, uint64_t lba, uint32_t n)
{
    return n != 0 && lba < bd->sectors && n <= bd->sectors - lba;
}

int blockdev_read(struct blockdev *bd, uint64_t lba, uint32_t n, void *buf)
{
    if (!range_ok(bd, lba, n))
        return -EINVAL;
    return bd->read(bd, lba, n, buf);
}

int blockdev_write(struct blockdev *bd, uint64_t lba, uint32_t n,
                   const void *buf)
{
    if (!range_ok(bd, lba, n))
        return -EINVAL;
    return bd->write(bd, lba, n, buf);
}

int blockdev_flush(struct blockdev *bd)
{
    if (bd->flush == NULL)
        return 0;
    return bd->flush(bd);
}

static int part_read(struct blockdev *bd, uint64_t lba, uint32_t n, void *buf)
{
    struct blockdev_part *part = bd->priv;
    return blockdev_read(part->parent, part->start + lba, n, buf);
}

static int part_write(struct blockdev *bd, uint64_t lba, uint32_t n,
                      const void *buf)
{
    struct blockdev_part *part = bd->priv;
    return blockdev_write(part->parent, part->start + lba, n, buf);
}

static int part_flush(struct blockdev *bd)
{
    struct blockdev_part *part = bd->priv;
    return blockdev_flush(part->parent);
}

int blockdev_part_init(struct blockdev_part *part, struct blockdev *parent,
                       uint64_t start, uint64_t sectors)
{
    if (sectors == 0 || start >= parent->sectors ||
        sectors > parent->sectors - start)
        return -EINVAL;
    part->parent = parent;
    part->start = start;
    part->bd.sector_size = parent->sector_size;
    part->bd.sectors = sectors;
    part->bd.read = part_read;
    part->bd.write = part_write;
    part->bd.flush = part_flush;
    part->bd.priv = part;
    return 0;
}
