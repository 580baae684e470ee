/*
 * The MBR reader: sector 0 as a FAT32 boot sector or as a partition table.
 *
 * A FAT32 boot sector and an MBR share only their last two bytes, so the
 * order of the tests matters: a whole-disk volume is recognised by its BPB
 * (the BIOS Parameter Block, the FAT layout description at the start of the
 * boot sector), and only a sector that is not one is read as four partition
 * entries. The entries are copied out with memcpy because they sit at offset
 * 446, which is not 4-byte aligned.
 *
 * Locking: none; called once at mount time.
 * Portable: yes; also built into tests/host/test_mbr.c.
 * See: docs/storage.md
 */
#include "fs/mbr.h"

#include <stddef.h>
#include <ember/errno.h>
#include "lib/portable.h"

#define MBR_SECTOR_SIZE 512
#define MBR_SIG0        0x55
#define MBR_SIG1        0xAA

/* BPB offsets (Microsoft's FAT specification, "BPB structure"). */
#define BPB_JMP           0
#define BPB_BYTES_PER_SEC 11
#define BPB_SEC_PER_CLUS  13
#define BPB_RSVD_SEC_CNT  14
#define BPB_NUM_FATS      16
#define BPB_ROOT_ENT_CNT  17
#define BPB_FAT_SZ16      22
#define BPB_FAT_SZ32      36
#define X86_JMP_SHORT     0xEB /* jmp rel8: the usual first boot sector byte */
#define X86_JMP_NEAR      0xE9 /* jmp rel16 */

static uint16_t le16(const uint8_t *p)
{
    return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t le32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
           (uint32_t)p[3] << 24;
}

static bool is_pow2(uint32_t x)
{
    return x != 0 && (x & (x - 1)) == 0;
}

bool mbr_looks_like_fat32(const uint8_t *sector)
{
    uint16_t bps = le16(sector + BPB_BYTES_PER_SEC);

    if (sector[MBR_SIG_OFFSET] != MBR_SIG0 ||
        sector[MBR_SIG_OFFSET + 1] != MBR_SIG1)
        return false;
    if (sector[BPB_JMP] != X86_JMP_SHORT && sector[BPB_JMP] != X86_JMP_NEAR)
        return false;
    return is_pow2(bps) && bps >= MBR_SECTOR_SIZE &&
           is_pow2(sector[BPB_SEC_PER_CLUS]) &&
           le16(sector + BPB_RSVD_SEC_CNT) != 0 && sector[BPB_NUM_FATS] != 0 &&
           le16(sector + BPB_ROOT_ENT_CNT) == 0 &&
           le16(sector + BPB_FAT_SZ16) == 0 && le32(sector + BPB_FAT_SZ32) != 0;
}

/* The first FAT32 entry of the table, or -ENOENT / -EUCLEAN. */
static int find_partition(struct blockdev *disk, const uint8_t *sector,
                          struct mbr_volume *out)
{
    for (int i = 0; i < MBR_ENTRIES; i++) {
        struct mbr_entry e;
        memcpy(&e, sector + MBR_TABLE_OFFSET + i * sizeof e, sizeof e);
        if (e.type != MBR_TYPE_FAT32_CHS && e.type != MBR_TYPE_FAT32_LBA)
            continue;
        if (e.lba_first == 0 || e.sectors == 0 ||
            e.lba_first >= disk->sectors ||
            e.sectors > disk->sectors - e.lba_first) {
            klog(LOG_ERR,
                 "mbr: partition %d (type %#x) at %u+%u runs past the "
                 "disk's %llu sectors\n",
                 i + 1, e.type, e.lba_first, e.sectors,
                 (unsigned long long)disk->sectors);
            return -EUCLEAN;
        }
        out->start = e.lba_first;
        out->sectors = e.sectors;
        out->index = i;
        return 0;
    }
    klog(LOG_ERR, "mbr: no FAT32 partition (type 0x0b or 0x0c)\n");
    return -ENOENT;
}

int mbr_find_fat32(struct blockdev *disk, struct mbr_volume *out)
{
    if (disk->sector_size != MBR_SECTOR_SIZE)
        return -EINVAL;
    uint8_t *sector = kmalloc(MBR_SECTOR_SIZE);
    if (sector == NULL)
        return -ENOMEM;
    int err = blockdev_read(disk, 0, 1, sector);
    if (err < 0)
        goto out;
    if (mbr_looks_like_fat32(sector)) {
        out->start = 0;
        out->sectors = disk->sectors;
        out->index = -1;
        goto out;
    }
    if (sector[MBR_SIG_OFFSET] != MBR_SIG0 ||
        sector[MBR_SIG_OFFSET + 1] != MBR_SIG1) {
        klog(LOG_ERR, "mbr: sector 0 has no boot signature\n");
        err = -ENOENT;
        goto out;
    }
    err = find_partition(disk, sector, out);
out:
    kfree(sector);
    return err;
}
