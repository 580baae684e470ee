/*
 * The volume's guard: every sector FAT32 reads or writes passes through it,
 * so a failing disk is contained in one place.
 *
 * At mount the volume swaps its device for a view (vol->guard) whose read
 * and write call the real device (vol->dev). The sector cache and the data
 * path both sit on the view, so nothing reaches the disk around it.
 *
 * Writes: the first write the device refuses makes the volume read-only at
 * once, as Linux's errors=remount-ro does, with one log line. From then on
 * the view refuses every write with that error, without touching the disk:
 * the cache writes back in sector order (FSInfo, then the FATs, then the
 * data area with the directories; fat_sync() stores FSInfo after the rest),
 * so when a FAT sector fails, no directory entry written later can point at
 * clusters whose allocation never reached the disk. What is already on the
 * disk, and what the cache holds, stays readable; sync and power-off return
 * the error. The kernel's glue refuses new changes with -EROFS.
 *
 * Reads: a FAT sector that cannot be read is read from the same place in
 * the next FAT copy (they are mirrors), with one log line for the first such
 * sector and a count kept after it. If no copy can be read, the volume turns
 * read-only, since an allocation could not trust what it finds free.
 *
 * The clean-shutdown bit: FAT[1]'s bit 27 (ClnShutBitMask in Microsoft's
 * FAT specification) is 1 on a volume that was unmounted cleanly. The first
 * change after mount clears it in the cache (it reaches the disk with the
 * change's first sync); a clean unmount or power-off sets it again after a
 * successful sync. A mount that finds it clear says so in one line, then
 * checks and repairs the volume (fat32_check.c), which sets it again once
 * the repair is on the disk; a volume the check refuses stays read-only
 * and keeps it clear until fsck.fat has looked.
 *
 * Locking: none (see fat32.h).
 * Portable: yes; also built into the tests/host/test_fat32_*.c tests.
 * See: docs/storage.md
 */
#include "fs/fat32_internal.h"

#include <ember/errno.h>
#include "lib/portable.h"

#define FAT1_INDEX      1           /* FAT[1]: the volume's state bits */
#define FAT_CLEAN_BIT   0x08000000u /* ClnShutBitMask: 1 = clean unmount */
#define FAT_NO_HARD_ERR 0x04000000u /* HrdErrBitMask: 1 = no I/O errors */

static struct fat_volume *of(struct blockdev *bd)
{
    return bd->priv;
}

void fat_guard_fail(struct fat_volume *vol, int err, const char *what,
                    uint64_t lba)
{
    if (vol->error != 0)
        return;
    vol->error = err < 0 ? err : -EIO;
    klog(LOG_ERR,
         "fat: %s at sector %llu failed (error %d): the volume is now "
         "read-only; run fsck.fat",
         what, (unsigned long long)lba, err);
}

/* Which FAT copy lba is in, or -1 outside the FATs. */
static int fat_copy_of(const struct fat_volume *vol, uint64_t lba)
{
    if (lba < vol->fat_first_lba)
        return -1;
    uint64_t rel = lba - vol->fat_first_lba;
    uint64_t copy = rel / vol->fat_sectors;
    return copy < vol->fat_count ? (int)copy : -1;
}

/* One FAT sector from whichever copy can be read. */
static int read_fat_sector(struct fat_volume *vol, uint64_t lba, uint8_t *buf,
                           int err)
{
    uint64_t off = (lba - vol->fat_first_lba) % vol->fat_sectors;
    for (uint32_t k = 0; k < vol->fat_count; k++) {
        uint64_t copy_lba = vol->fat_first_lba + k * vol->fat_sectors + off;
        if (copy_lba == lba)
            continue;
        if (blockdev_read(vol->dev, copy_lba, 1, buf) == 0) {
            if (vol->fat_fallbacks++ == 0)
                klog(LOG_WARN,
                     "fat: FAT sector %llu unreadable (error %d); read "
                     "from FAT copy %u instead",
                     (unsigned long long)lba, err, k + 1);
            return 0;
        }
    }
    fat_guard_fail(vol, err, "reading a FAT sector in every copy", lba);
    return err;
}

static int guard_read(struct blockdev *bd, uint64_t lba, uint32_t n, void *buf)
{
    struct fat_volume *vol = of(bd);
    int err = blockdev_read(vol->dev, lba, n, buf);
    if (err == 0 || vol->fat_count < 2)
        return err;
    /* Sector by sector: only the FAT's sectors have a second place. */
    uint8_t *p = buf;
    for (uint32_t i = 0; i < n; i++, p += bd->sector_size) {
        int e = blockdev_read(vol->dev, lba + i, 1, p);
        if (e < 0 && fat_copy_of(vol, lba + i) >= 0)
            e = read_fat_sector(vol, lba + i, p, e);
        if (e < 0)
            return e;
    }
    return 0;
}

static int guard_write(struct blockdev *bd, uint64_t lba, uint32_t n,
                       const void *buf)
{
    struct fat_volume *vol = of(bd);
    if (vol->error != 0)
        return vol->error;
    int err = blockdev_write(vol->dev, lba, n, buf);
    if (err < 0) {
        const char *what = fat_copy_of(vol, lba) >= 0 ? "writing the FAT"
                           : lba < vol->fat_first_lba ? "writing FSInfo"
                                                      : "writing the data area";
        fat_guard_fail(vol, err, what, lba);
    }
    return err;
}

static int guard_flush(struct blockdev *bd)
{
    struct fat_volume *vol = of(bd);
    int err = blockdev_flush(vol->dev);
    if (err < 0)
        fat_guard_fail(vol, err, "flushing the disk's cache", 0);
    return vol->error;
}

void fat_guard_init(struct fat_volume *vol, struct blockdev *dev,
                    uint64_t fat_first_lba, uint32_t fat_count)
{
    vol->dev = dev;
    vol->fat_first_lba = fat_first_lba;
    vol->fat_count = fat_count;
    vol->guard = (struct blockdev){
        .sector_size = dev->sector_size,
        .sectors = dev->sectors,
        .read = guard_read,
        .write = guard_write,
        .flush = guard_flush,
        .priv = vol,
    };
    vol->bd = &vol->guard;
}

int fat_writable(const struct fat_volume *vol)
{
    return vol->error != 0 ? -EROFS : 0;
}

int fat_error(const struct fat_volume *vol)
{
    return vol->error;
}

/* ---- the clean-shutdown bit ---- */

/* Sets or clears bits of FAT[1] in FAT copies [from, to). */
static int set_state_in(struct fat_volume *vol, uint32_t bits, bool on,
                        uint32_t from, uint32_t to)
{
    uint32_t off = FAT1_INDEX * sizeof(uint32_t);
    for (uint32_t k = from; k < to; k++) {
        uint64_t lba = vol->fat_lba + (uint64_t)k * vol->fat_sectors;
        uint32_t v;
        int err = bcache_read(vol->bc, lba, off, sizeof v, &v);
        if (err < 0)
            return err;
        v = on ? v | bits : v & ~bits;
        err = bcache_write(vol->bc, lba, off, sizeof v, &v);
        if (err < 0)
            return err;
    }
    return 0;
}

static int set_state(struct fat_volume *vol, uint32_t bits, bool on)
{
    return set_state_in(vol, bits, on, 0, vol->fat_copies);
}

/*
 * Sets the clean bit and syncs, the first FAT last: a cut between the
 * copies' writes leaves the first, which a mount reads, saying dirty, and
 * the next mount repairs the copies that differ.
 */
static int set_clean(struct fat_volume *vol)
{
    int err = 0;
    if (vol->fat_copies > 1) {
        err = set_state_in(vol, FAT_CLEAN_BIT, true, 1, vol->fat_copies);
        if (err == 0)
            err = fat_sync(vol);
    }
    if (err == 0)
        err = set_state_in(vol, FAT_CLEAN_BIT, true, 0, 1);
    return err == 0 ? fat_sync(vol) : err;
}

int fat_state_check(struct fat_volume *vol)
{
    uint32_t v;
    int err =
        bcache_read(vol->bc, vol->fat_lba, FAT1_INDEX * sizeof v, sizeof v, &v);
    if (err < 0)
        return err;
    vol->was_dirty = !(v & FAT_CLEAN_BIT);
    if (vol->was_dirty)
        klog(LOG_WARN, "fat: volume not cleanly unmounted; run fsck.fat");
    if (!(v & FAT_NO_HARD_ERR))
        klog(LOG_WARN, "fat: volume marked as having had disk errors");
    return 0;
}

int fat_mark_dirty(struct fat_volume *vol)
{
    if (vol->marked_dirty || vol->error != 0)
        return 0;
    int err = set_state(vol, FAT_CLEAN_BIT, false);
    if (err == 0)
        vol->marked_dirty = true;
    return err;
}

/*
 * A volume found dirty is clean again only once the check at mount has
 * repaired it (fat_state_repaired()); one it refused is read-only and
 * stays marked, as does a volume whose writes failed.
 */
int fat_mark_clean(struct fat_volume *vol)
{
    int64_t left = fat_free_pending(vol, UINT32_MAX); /* the last steps */
    int err = left < 0 ? (int)left : fat_sync(vol);
    if (err < 0 || !vol->marked_dirty || (vol->was_dirty && !vol->repaired))
        return err;
    err = set_clean(vol);
    if (err == 0)
        vol->marked_dirty = false;
    return err;
}

int fat_state_repaired(struct fat_volume *vol)
{
    int err = set_clean(vol);
    if (err == 0)
        vol->repaired = true;
    return err;
}

bool fat_was_dirty(const struct fat_volume *vol)
{
    return vol->was_dirty;
}
