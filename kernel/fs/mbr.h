/*
 * MBR partition tables: find the FAT32 volume on a disk.
 *
 * Sector 0 of a PC disk is either a Master Boot Record with four partition
 * entries, or, on a disk formatted whole (as the seed's disk was, and as
 * `mkfs.fat` does to a bare image), the FAT32 boot sector itself. Both end in
 * the 0x55 0xAA signature, so mbr_find_fat32() first asks whether sector 0
 * reads as a FAT32 boot sector, and only then looks at the partition table.
 *
 * Locking: none; called once at mount time.
 * Portable: yes; also built into tests/host/test_mbr.c.
 * See: docs/storage.md
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include "fs/blockdev.h"

/* One of the four partition entries at offset 446 of sector 0. */
struct mbr_entry {
    uint8_t status;       /* 0x80 active, 0x00 inactive; anything else: bad */
    uint8_t chs_first[3]; /* ignored: CHS cannot address today's disks */
    uint8_t type;         /* MBR_TYPE_* */
    uint8_t chs_last[3];
    uint32_t lba_first; /* little-endian, like every field on disk */
    uint32_t sectors;
} __attribute__((packed));

_Static_assert(sizeof(struct mbr_entry) == 16, "MBR entry is 16 bytes");
_Static_assert(__builtin_offsetof(struct mbr_entry, type) == 4, "type at 4");
_Static_assert(__builtin_offsetof(struct mbr_entry, lba_first) == 8,
               "lba_first at 8");

/* Offsets in sector 0, and the partition types of FAT32 (0x0B was for CHS
 * addressing, but its LBA fields are filled in on every disk we meet). */
#define MBR_TABLE_OFFSET   446
#define MBR_ENTRIES        4
#define MBR_SIG_OFFSET     510 /* 0x55 0xAA, in MBRs and boot sectors alike */
#define MBR_TYPE_FAT32_CHS 0x0B
#define MBR_TYPE_FAT32_LBA 0x0C

/* Where the FAT32 volume lies on the disk. */
struct mbr_volume {
    uint64_t start;   /* first sector of the volume */
    uint64_t sectors; /* its length in sectors */
    int index;        /* partition number 0..3, or -1 for a whole disk */
};

/*
 * Find the FAT32 volume on disk: the whole disk if sector 0 is a FAT32 boot
 * sector, otherwise the first partition of type 0x0B or 0x0C. Returns 0 and
 * fills *out, -ENOENT if sector 0 has neither (no signature, or no FAT32
 * partition), -EUCLEAN if the FAT32 entry runs past the disk's end, -EINVAL
 * if the sector size is not 512, -ENOMEM, or the device's read error.
 */
int mbr_find_fat32(struct blockdev *disk, struct mbr_volume *out);

/*
 * True if the 512-byte sector reads as a FAT32 boot sector: a jump
 * instruction, a sane BPB with FAT32's zero 16-bit fields, and the signature.
 * A loose test to tell a boot sector from an MBR; fat_mount() checks for real.
 */
bool mbr_looks_like_fat32(const uint8_t *sector);
