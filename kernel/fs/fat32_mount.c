/*
 * Mounting: the boot sector checked field by field, FSInfo, sync, unmount.
 *
 * The boot sector describes the layout, and a wrong field would send every
 * later read to the wrong place, so fat_mount() refuses anything that does
 * not add up and says which field in one klog line. The layout it accepts:
 *
 *   sector 0                  boot sector (BPB), FSInfo at 1, backup at 6
 *   reserved_sectors          first FAT, then the other copies
 *   + num_fats * fat_size32   cluster 2, the first data cluster
 *
 * A volume is FAT32 by its cluster count alone (at least 65,525), as the
 * specification defines it; the FAT32-only fields (a 16-bit FAT size and
 * root entry count of zero) must agree.
 *
 * The free cluster count comes from FSInfo when FSInfo is sane (good
 * signatures, a count no larger than the volume), because counting means
 * reading the whole FAT: 512 KiB on the 512 MiB disk, 22 of the 145 ms
 * from kernel entry to the shell's prompt (`make bench`). FSInfo is only
 * a hint another system may have left stale, and fsck.fat insists it be
 * exact, so the count is checked lazily: fat_verify_free() counts once,
 * before the first sync that rewrites FSInfo, the first statfs, or when an
 * allocation finds the count at zero, and corrects it if it was wrong.
 *
 * Locking: none (see fat32.h); fat_mount() makes a volume nobody else sees
 * yet.
 * Portable: yes; also built into the tests/host/test_fat32_*.c tests.
 * See: docs/storage.md
 */
#include "fs/fat32_internal.h"

#include <ember/errno.h>
#include "lib/portable.h"

#define FAT_DEFAULT_CACHE_SECTORS 128
#define FAT_MIN_SECTOR            512
#define FAT_MAX_SECTOR            4096
#define X86_JMP_SHORT             0xEB
#define X86_JMP_NEAR              0xE9
#define BOOT_SIG0                 0x55
#define BOOT_SIG1                 0xAA
#define EXT_FLAGS_NO_MIRROR       0x0080
#define EXT_FLAGS_ACTIVE_MASK     0x000F

static bool is_pow2(uint32_t x)
{
    return x != 0 && (x & (x - 1)) == 0;
}

/* -EINVAL unless the boot sector describes a FAT32 volume at all. */
static int check_kind(const uint8_t *sector, const struct fat_bpb *b,
                      const struct blockdev *bd)
{
    if (sector[FAT_BOOT_SIG_OFFSET] != BOOT_SIG0 ||
        sector[FAT_BOOT_SIG_OFFSET + 1] != BOOT_SIG1) {
        klog(LOG_ERR, "fat: no boot signature: not a FAT volume");
        return -EINVAL;
    }
    if (b->jmp[0] != X86_JMP_SHORT && b->jmp[0] != X86_JMP_NEAR) {
        klog(LOG_ERR, "fat: boot sector starts with %#x, not a jump",
             b->jmp[0]);
        return -EINVAL;
    }
    if (b->bytes_per_sector != bd->sector_size) {
        klog(LOG_ERR, "fat: %u-byte sectors on a %u-byte sector device",
             b->bytes_per_sector, bd->sector_size);
        return -EINVAL;
    }
    if (b->root_entries != 0 || b->fat_size16 != 0 || b->fat_size32 == 0) {
        klog(LOG_ERR,
             "fat: not FAT32 (root entries %u, 16-bit FAT size %u):"
             " a FAT12/16 volume",
             b->root_entries, b->fat_size16);
        return -EINVAL;
    }
    if (b->fs_version != 0) {
        klog(LOG_ERR, "fat: FAT32 version %#x is unknown", b->fs_version);
        return -EINVAL;
    }
    return 0;
}

/* -EUCLEAN unless the fields that size the layout are sane. */
static int check_fields(const struct fat_bpb *b)
{
    uint32_t cluster_bytes =
        (uint32_t)b->sectors_per_cluster * b->bytes_per_sector;
    if (!is_pow2(b->sectors_per_cluster) ||
        cluster_bytes > FAT_MAX_CLUSTER_BYTES) {
        klog(LOG_ERR, "fat: bad sectors per cluster %u",
             b->sectors_per_cluster);
        return -EUCLEAN;
    }
    if (b->reserved_sectors == 0 || b->num_fats == 0) {
        klog(LOG_ERR, "fat: %u reserved sectors, %u FATs", b->reserved_sectors,
             b->num_fats);
        return -EUCLEAN;
    }
    return 0;
}

/* Place the FATs, the data area and the root; count the clusters. */
static int check_layout(const struct fat_bpb *b, const struct blockdev *bd,
                        struct fat_volume *vol)
{
    uint64_t total =
        b->total_sectors16 ? b->total_sectors16 : b->total_sectors32;
    uint64_t fat_end =
        b->reserved_sectors + (uint64_t)b->num_fats * b->fat_size32;
    if (total > bd->sectors || fat_end >= total) {
        klog(LOG_ERR,
             "fat: %llu sectors with FATs to %llu, on a device of "
             "%llu sectors",
             (unsigned long long)total, (unsigned long long)fat_end,
             (unsigned long long)bd->sectors);
        return -EUCLEAN;
    }
    uint64_t clusters = (total - fat_end) / b->sectors_per_cluster;
    if (clusters < FAT_MIN_CLUSTERS) {
        klog(LOG_ERR,
             "fat: %llu clusters is FAT12/16, not FAT32 (which has"
             " at least %u)",
             (unsigned long long)clusters, FAT_MIN_CLUSTERS);
        return -EINVAL;
    }
    uint64_t fat_entries =
        (uint64_t)b->fat_size32 * b->bytes_per_sector / sizeof(uint32_t);
    if (clusters > FAT_MAX_CLUSTERS ||
        fat_entries < clusters + FAT_FIRST_CLUSTER) {
        klog(LOG_ERR, "fat: a FAT of %u sectors cannot map %llu clusters",
             b->fat_size32, (unsigned long long)clusters);
        return -EUCLEAN;
    }
    vol->cluster_count = (uint32_t)clusters;
    vol->data_lba = fat_end;
    if (!fat_cluster_ok(vol, b->root_cluster)) {
        klog(LOG_ERR, "fat: root cluster %u is outside the volume",
             b->root_cluster);
        return -EUCLEAN;
    }
    return 0;
}

static int check_boot_sector(const uint8_t *sector, const struct blockdev *bd,
                             struct fat_volume *vol)
{
    struct fat_bpb b;
    memcpy(&b, sector, sizeof b);
    int err = check_kind(sector, &b, bd);
    if (err == 0)
        err = check_fields(&b);
    if (err == 0)
        err = check_layout(&b, bd, vol);
    if (err < 0)
        return err;
    vol->sector_size = b.bytes_per_sector;
    vol->sectors_per_cluster = b.sectors_per_cluster;
    vol->cluster_size = b.sectors_per_cluster * b.bytes_per_sector;
    vol->fat_sectors = b.fat_size32;
    vol->root_cluster = b.root_cluster;
    vol->fat_lba = b.reserved_sectors;
    vol->fat_copies = b.num_fats;
    if (b.ext_flags & EXT_FLAGS_NO_MIRROR) {
        uint32_t active = b.ext_flags & EXT_FLAGS_ACTIVE_MASK;
        if (active >= b.num_fats) {
            klog(LOG_ERR, "fat: active FAT %u of %u", active, b.num_fats);
            return -EUCLEAN;
        }
        vol->fat_lba += (uint64_t)active * b.fat_size32;
        vol->fat_copies = 1;
    }
    bool fsinfo_ok =
        b.fsinfo_sector != 0 && b.fsinfo_sector < b.reserved_sectors;
    vol->fsinfo_lba = fsinfo_ok ? b.fsinfo_sector : 0;
    return 0;
}

/* Read FSInfo's hints; count the free clusters only if it has none. */
static int load_fsinfo(struct fat_volume *vol)
{
    struct fat_fsinfo fi;
    vol->last_alloc = FAT_FIRST_CLUSTER;
    if (vol->fsinfo_lba != 0) {
        int err = bcache_read(vol->bc, vol->fsinfo_lba, 0, sizeof fi, &fi);
        if (err < 0)
            return err;
        if (fi.lead_sig == FAT_FSINFO_LEAD_SIG &&
            fi.struct_sig == FAT_FSINFO_STRUCT_SIG &&
            fi.trail_sig == FAT_FSINFO_TRAIL_SIG) {
            if (fat_cluster_ok(vol, fi.next_free))
                vol->last_alloc = fi.next_free;
            if (fi.free_count <= vol->cluster_count) {
                vol->free_count = fi.free_count;
                vol->free_unverified = true;
                return 0;
            }
        } else {
            klog(LOG_WARN,
                 "fat: FSInfo sector %u has bad signatures; "
                 "ignoring it",
                 vol->fsinfo_lba);
            vol->fsinfo_lba = 0;
        }
    }
    /* No usable count (0xFFFFFFFF "unknown", or too large): count now. */
    vol->free_unverified = true;
    vol->free_count = FAT_FSINFO_UNKNOWN;
    return fat_verify_free(vol);
}

int fat_verify_free(struct fat_volume *vol)
{
    if (!vol->free_unverified)
        return 0;
    uint32_t counted;
    int err = fat_count_free(vol, &counted);
    if (err < 0)
        return err;
    if (counted != vol->free_count) {
        if (vol->fsinfo_lba != 0)
            klog(LOG_INFO,
                 "fat: FSInfo's free count was off: %u, the FAT says %u",
                 vol->free_count, counted);
        vol->free_count = counted;
        vol->fsinfo_dirty = true;
    }
    vol->free_unverified = false;
    return 0;
}

static void free_volume(struct fat_volume *vol)
{
    fat_pc_destroy(vol);
    bcache_destroy(vol->bc);
    kfree(vol->zeros);
    kfree(vol->scratch);
    kfree(vol);
}

/*
 * A volume not cleanly unmounted is repaired before use (fat32_check.c).
 * If the check itself fails (no memory, a disk error) the volume is
 * mounted read-only: writing to a volume nobody checked could spread what
 * is wrong with it.
 */
static int check_at_mount(struct fat_volume *vol)
{
    int err = fat_check_repair(vol);
    if (err < 0 && vol->error == 0) {
        vol->error = -EROFS;
        klog(LOG_ERR,
             "fat: checking the unclean volume failed (error %d); mounted "
             "read-only, run fsck.fat",
             err);
    }
    return 0;
}

/* Everything after the boot sector check: cache, zeros, FSInfo, root. */
static int mount_rest(struct fat_volume *vol, const struct fat_mount_opts *opts)
{
    uint32_t nbufs = opts && opts->cache_sectors ? opts->cache_sectors
                                                 : FAT_DEFAULT_CACHE_SECTORS;
    int err = bcache_create(vol->bd, nbufs, &vol->bc);
    if (err < 0)
        return err;
    /* Allocations before the entries naming them, on eviction too. */
    bcache_set_first(vol->bc, vol->fat_first_lba,
                     (uint64_t)vol->fat_count * vol->fat_sectors);
    vol->zeros = kmalloc(vol->cluster_size);
    vol->scratch = kmalloc(vol->cluster_size);
    if (vol->zeros == NULL || vol->scratch == NULL)
        return -ENOMEM;
    memset(vol->zeros, 0, vol->cluster_size);
    err = fat_pc_init(vol);
    if (err == 0)
        err = load_fsinfo(vol);
    if (err == 0)
        err = fat_state_check(vol);
    if (err == 0 && vol->was_dirty && vol->error == 0)
        err = check_at_mount(vol);
    if (err < 0 && vol->error != 0) {
        /* A FAT sector no copy could give: mounted read-only, not refused. */
        vol->free_unverified = false;
        if (vol->free_count > vol->cluster_count)
            vol->free_count = 0;
        return 0;
    }
    if (err < 0)
        return err;
    uint32_t root_next;
    err = fat_get(vol, vol->root_cluster, &root_next);
    if (err < 0 && vol->error != 0)
        return 0;
    if (err == 0 && root_next == FAT_FREE) {
        klog(LOG_ERR, "fat: the root directory's cluster %u is free",
             vol->root_cluster);
        err = -EUCLEAN;
    }
    return err;
}

int fat_mount(struct blockdev *bd, const struct fat_mount_opts *opts,
              struct fat_volume **out)
{
    if (bd->sector_size < FAT_MIN_SECTOR || bd->sector_size > FAT_MAX_SECTOR ||
        !is_pow2(bd->sector_size))
        return -EINVAL;
    struct fat_volume *vol = kmalloc(sizeof *vol);
    uint8_t *sector = kmalloc(bd->sector_size);
    int err = -ENOMEM;
    if (vol == NULL || sector == NULL)
        goto fail;
    memset(vol, 0, sizeof *vol);
    vol->bd = bd;
    if (opts != NULL) {
        vol->opts = *opts;
        vol->free_step = opts->free_step;
    }
    err = blockdev_read(bd, 0, 1, sector);
    if (err < 0)
        klog(LOG_ERR, "fat: cannot read the boot sector (error %d)", err);
    if (err == 0)
        err = check_boot_sector(sector, bd, vol);
    if (err == 0) {
        struct fat_bpb *b = (struct fat_bpb *)sector;
        fat_guard_init(vol, bd, b->reserved_sectors, b->num_fats);
        err = mount_rest(vol, opts);
    }
    if (err < 0)
        goto fail;
    kfree(sector);
    *out = vol;
    return 0;
fail:
    kfree(sector);
    if (vol != NULL)
        free_volume(vol);
    return err;
}

int fat_fsinfo_store(struct fat_volume *vol)
{
    if (vol->fsinfo_lba == 0 || !vol->fsinfo_dirty)
        return 0;
    struct fat_fsinfo fi;
    int err = bcache_read(vol->bc, vol->fsinfo_lba, 0, sizeof fi, &fi);
    if (err < 0)
        return err;
    fi.free_count = vol->free_count;
    fi.next_free = vol->last_alloc;
    err = bcache_write(vol->bc, vol->fsinfo_lba, 0, sizeof fi, &fi);
    if (err == 0)
        vol->fsinfo_dirty = false;
    return err;
}

/*
 * FSInfo goes last, in a second pass: the cache writes in sector order and
 * FSInfo (sector 1) comes before the FATs, so a FAT write that fails would
 * otherwise leave a free count that the FAT on disk does not match.
 */
int fat_sync(struct fat_volume *vol)
{
    if (vol->refused && vol->pc->dirty_pages == 0 && !bcache_dirty(vol->bc))
        return 0; /* read-only since the mount, and nothing to write */
    if (vol->error != 0)
        return vol->error; /* read-only since a failed write: see the guard */
    /* File data first, then the metadata that points at it. */
    fat_redirty_mapped(vol);
    int64_t n;
    while ((n = fat_pc_writeback(vol, UINT64_MAX)) > 0)
        ;
    int err = n < 0 ? (int)n : bcache_sync(vol->bc);
    if (err < 0 || !vol->fsinfo_dirty || vol->fsinfo_lba == 0)
        return err;
    /* FSInfo is about to be written: make sure it will be exact. */
    err = fat_verify_free(vol);
    if (err == 0)
        err = fat_fsinfo_store(vol);
    if (err < 0)
        return err;
    return bcache_sync(vol->bc);
}

int fat_unmount(struct fat_volume *vol)
{
    if (vol->nodes != NULL)
        return -EBUSY;
    int err = fat_mark_clean(vol);
    free_volume(vol);
    return err;
}

void fat_statfs_now(struct fat_volume *vol, struct fat_statfs *out)
{
    out->cluster_size = vol->cluster_size;
    out->total_clusters = vol->cluster_count;
    out->free_clusters = vol->free_count;
    out->free_exact = !vol->free_unverified;
}

int fat_statfs(struct fat_volume *vol, struct fat_statfs *out)
{
    int err = fat_verify_free(vol);
    if (err < 0)
        return err;
    fat_statfs_now(vol, out);
    return 0;
}
