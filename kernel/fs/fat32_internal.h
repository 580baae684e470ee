/*
 * FAT32's insides, shared by the fat32_*.c files and by nothing else.
 *
 * The on-disk structures come first, each with _Static_asserts on its size
 * and key offsets (Microsoft's "FAT: General Overview of On-Disk Format" is
 * the source of every layout and constant here). Fields are read in place:
 * FAT is little-endian and so is x86_64, the one architecture Ember has.
 * Then come the in-memory volume, node (one per open file or directory,
 * shared by all its handles) and file handle, and the functions each
 * fat32_*.c file offers the others:
 *
 *   fat32_mount.c    boot sector checks, mount/unmount, FSInfo, sync, statfs
 *   fat32_guard.c    the device view: write errors, FAT copies, clean bit
 *   fat32_check.c    the check and repair at mount of an unclean volume
 *   fat32_fat.c      the FAT: entries, chain walks, allocation, freeing
 *   fat32_name.c     8.3 and long names, case bits, UTF-8, checksums
 *   fat32_time.c     FAT dates and times
 *   fat32_dir.c      directory slots, entry iteration, lookup, removal
 *   fat32_dir_add.c  new entries: aliases, free slots, long-name slots
 *   fat32_path.c     path resolution
 *   fat32_io.c       file data: cluster runs, growing, truncating
 *   fat32_pcache.c   file data through the page cache, writeback
 *   fat32_file.c     nodes, open/close, read/write/seek
 *   fat32_ops.c      stat, readdir, mkdir, unlink, rmdir
 *   fat32_rename.c   rename and move
 *
 * Locking: none; the kernel serialises each volume (see fat32.h).
 * Portable: yes; also built into the tests/host/test_fat32_*.c tests.
 * See: docs/storage.md
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "fs/bcache.h"
#include "fs/blockdev.h"
#include "fs/fat32.h"
#include "fs/pcache.h"

/* ---- on disk ---- */

/* The boot sector's BIOS Parameter Block, FAT32 flavour. */
struct fat_bpb {
    uint8_t jmp[3];
    uint8_t oem[8];
    uint16_t bytes_per_sector;
    uint8_t sectors_per_cluster;
    uint16_t reserved_sectors;
    uint8_t num_fats;
    uint16_t root_entries; /* 0 on FAT32: the root is a cluster chain */
    uint16_t total_sectors16;
    uint8_t media;
    uint16_t fat_size16; /* 0 on FAT32 */
    uint16_t sectors_per_track;
    uint16_t heads;
    uint32_t hidden_sectors;
    uint32_t total_sectors32;
    uint32_t fat_size32;
    uint16_t ext_flags; /* bit 7: mirroring off; bits 0-3: the active FAT */
    uint16_t fs_version;
    uint32_t root_cluster;
    uint16_t fsinfo_sector;
    uint16_t backup_boot_sector;
    uint8_t reserved[12];
    uint8_t drive_number;
    uint8_t reserved1;
    uint8_t boot_sig; /* 0x29: the next three fields are present */
    uint32_t volume_id;
    uint8_t volume_label[11];
    uint8_t fs_type[8]; /* "FAT32   ", informational only */
} __attribute__((packed));

_Static_assert(sizeof(struct fat_bpb) == 90, "FAT32 BPB is 90 bytes");
_Static_assert(offsetof(struct fat_bpb, bytes_per_sector) == 11, "BPB 11");
_Static_assert(offsetof(struct fat_bpb, root_entries) == 17, "BPB 17");
_Static_assert(offsetof(struct fat_bpb, total_sectors32) == 32, "BPB 32");
_Static_assert(offsetof(struct fat_bpb, fat_size32) == 36, "BPB 36");
_Static_assert(offsetof(struct fat_bpb, root_cluster) == 44, "BPB 44");
_Static_assert(offsetof(struct fat_bpb, fsinfo_sector) == 48, "BPB 48");
_Static_assert(offsetof(struct fat_bpb, fs_type) == 82, "BPB 82");

#define FAT_BOOT_SIG_OFFSET   510        /* 0x55 0xAA */
#define FAT_MIN_CLUSTERS      65525      /* fewer, and the volume is FAT12/16 */
#define FAT_MAX_CLUSTERS      0x0FFFFFF5 /* cluster numbers stop at 0x0FFFFFF6 */
#define FAT_MAX_CLUSTER_BYTES 65536

/* The FSInfo sector: a hint of the free cluster count and the last one used. */
struct fat_fsinfo {
    uint32_t lead_sig; /* FAT_FSINFO_LEAD_SIG */
    uint8_t reserved1[480];
    uint32_t struct_sig; /* FAT_FSINFO_STRUCT_SIG */
    uint32_t free_count; /* 0xFFFFFFFF: unknown */
    uint32_t next_free;  /* last cluster allocated; 0xFFFFFFFF: unknown */
    uint8_t reserved2[12];
    uint32_t trail_sig; /* FAT_FSINFO_TRAIL_SIG */
} __attribute__((packed));

_Static_assert(sizeof(struct fat_fsinfo) == 512, "FSInfo is 512 bytes");
_Static_assert(offsetof(struct fat_fsinfo, struct_sig) == 484, "FSInfo 484");
_Static_assert(offsetof(struct fat_fsinfo, free_count) == 488, "FSInfo 488");
_Static_assert(offsetof(struct fat_fsinfo, trail_sig) == 508, "FSInfo 508");

#define FAT_FSINFO_LEAD_SIG   0x41615252u /* "RRaA" */
#define FAT_FSINFO_STRUCT_SIG 0x61417272u /* "rrAa" */
#define FAT_FSINFO_TRAIL_SIG  0xAA550000u
#define FAT_FSINFO_UNKNOWN    0xFFFFFFFFu

/* A 32-byte short directory entry. */
struct fat_dirent_raw {
    uint8_t name[11]; /* 8 + 3, space padded, no dot */
    uint8_t attr;
    uint8_t ntres; /* FAT_CASE_* bits: how Windows NT shows the 8.3 name */
    uint8_t crt_time_tenth;
    uint16_t crt_time;
    uint16_t crt_date;
    uint16_t acc_date;
    uint16_t cluster_hi;
    uint16_t wrt_time;
    uint16_t wrt_date;
    uint16_t cluster_lo;
    uint32_t size;
} __attribute__((packed));

_Static_assert(sizeof(struct fat_dirent_raw) == 32, "dir entry is 32 bytes");
_Static_assert(offsetof(struct fat_dirent_raw, ntres) == 12, "entry 12");
_Static_assert(offsetof(struct fat_dirent_raw, cluster_hi) == 20, "entry 20");
_Static_assert(offsetof(struct fat_dirent_raw, cluster_lo) == 26, "entry 26");
_Static_assert(offsetof(struct fat_dirent_raw, size) == 28, "entry 28");

/* A long-name entry: 13 UTF-16 units in three pieces. */
struct fat_lfn_raw {
    uint8_t ord; /* sequence number 1..20, FAT_LFN_LAST on the first slot */
    uint8_t name1[10];
    uint8_t attr; /* FAT_ATTR_LFN */
    uint8_t type; /* 0 */
    uint8_t checksum;
    uint8_t name2[12];
    uint16_t cluster_lo; /* 0 */
    uint8_t name3[4];
} __attribute__((packed));

_Static_assert(sizeof(struct fat_lfn_raw) == 32, "LFN entry is 32 bytes");
_Static_assert(offsetof(struct fat_lfn_raw, attr) == 11, "LFN 11");
_Static_assert(offsetof(struct fat_lfn_raw, checksum) == 13, "LFN 13");
_Static_assert(offsetof(struct fat_lfn_raw, name2) == 14, "LFN 14");
_Static_assert(offsetof(struct fat_lfn_raw, name3) == 28, "LFN 28");

#define FAT_DIRENT_SIZE     32
#define FAT_ATTR_LFN        0x0F /* read-only|hidden|system|volume: old DOS skips */
#define FAT_ATTR_MASK       0x3F
#define FAT_LFN_LAST        0x40
#define FAT_LFN_SEQ_MASK    0x1F
#define FAT_LFN_CHARS       13
#define FAT_LFN_MAX_SLOTS   20 /* 20 * 13 = 260 >= 255 */
#define FAT_LFN_BUF_UNITS   (FAT_LFN_MAX_SLOTS * FAT_LFN_CHARS)
#define FAT_SLOT_END        0x00 /* first name byte: this and all later are free */
#define FAT_SLOT_DELETED    0xE5
#define FAT_SLOT_KANJI_E5   0x05 /* a real first byte 0xE5 is stored as 0x05 */
#define FAT_CASE_LOWER_BASE 0x08
#define FAT_CASE_LOWER_EXT  0x10
#define FAT_DIR_MAX_SLOTS   65536 /* a directory is at most 2 MiB */

/* FAT entries: 28 bits; the top 4 are reserved and kept as found. */
#define FAT_ENTRY_MASK      0x0FFFFFFFu
#define FAT_FREE            0x00000000u
#define FAT_BAD             0x0FFFFFF7u
#define FAT_EOC_MIN         0x0FFFFFF8u /* this and above: end of chain */
#define FAT_EOC             0x0FFFFFFFu /* what we write at a chain's end */
#define FAT_FIRST_CLUSTER   2
#define FAT_DATE_1980_01_01 0x0021 /* year 0, month 1, day 1 */
#define FAT_PENDING_MAX     8 /* chains freed in steps; more: freed at once */

/* ---- in memory ---- */

/*
 * One open file or directory, shared by every handle on it, so all of them
 * see one size and one first cluster. Found by the place of its short entry.
 */
struct fat_node {
    struct fat_node *next; /* in vol->nodes */
    uint32_t refs;         /* handles open on it */
    bool is_root;          /* the root directory: no entry of its own */
    uint64_t ent_lba;      /* sector of the short entry */
    uint32_t ent_off;      /* its byte offset in that sector */
    uint32_t first_cluster;
    uint32_t size;
    uint8_t attr;
    uint32_t gen; /* bumped whenever clusters leave the chain */
    /*
     * Unlinked while open: its directory entry is gone, its clusters stay
     * until the last handle closes (as a Unix file outlives its name).
     */
    bool orphan;
};

struct fat_volume {
    struct blockdev *bd; /* &guard once mounted: every access goes there */
    struct bcache *bc;
    /* the guard (fat32_guard.c): the device under it, and its state */
    struct blockdev guard;
    struct blockdev *dev;
    uint64_t fat_first_lba; /* the first FAT copy on disk */
    uint32_t fat_count;     /* FAT copies on disk, mirrored or not */
    int error;              /* the failed write's error: read-only */
    uint32_t fat_fallbacks; /* FAT sectors read from another copy */
    bool was_dirty;         /* FAT[1] said: not cleanly unmounted */
    bool marked_dirty;      /* FAT[1]'s clean bit cleared in the cache */
    bool repaired;          /* was_dirty, and the check at mount repaired it */
    bool refused; /* ... or found damage: read-only by choice, not failure */
    struct fat_mount_opts opts;
    /* geometry, fixed at mount */
    uint32_t sector_size;
    uint32_t sectors_per_cluster;
    uint32_t cluster_size; /* bytes */
    uint64_t fat_lba;      /* first sector of the first FAT in use */
    uint32_t fat_sectors;  /* sectors per FAT copy */
    uint32_t fat_copies;   /* copies written on every change */
    uint64_t data_lba;     /* first sector of cluster 2 */
    uint32_t cluster_count;
    uint32_t root_cluster;
    uint32_t fsinfo_lba; /* 0: the volume has no usable FSInfo */
    /* allocation state; FSInfo is rewritten when it changes */
    uint32_t free_count;
    uint32_t last_alloc;
    bool fsinfo_dirty;
    bool free_unverified; /* free_count is FSInfo's, not yet counted */
    /* open nodes, a buffer of zeros one cluster long, and one cluster of
     * scratch for counting free clusters (fat_count_free()) */
    struct fat_node *nodes;
    uint8_t *zeros;
    uint8_t *scratch;
    /* fat_dir_next()'s scratch: long-name units, and the name it decoded */
    uint16_t lfn[FAT_LFN_BUF_UNITS];
    char name[FAT_NAME_BUF];
    /*
     * The page cache of file data (fat32_pcache.c): the core, a bounce
     * buffer of one run, a handle and node used as the writeback cursor,
     * the dirty pages a write tolerates before writing back, counters.
     */
    struct pcache *pc;
    uint8_t *pc_bounce;
    struct fat_file *pc_cursor;
    struct fat_node pc_cursor_node;
    uint64_t pc_dirty_max;
    struct {
        uint64_t pages_read, pages_written;
    } pc_stats;
    /*
     * Work done, for the kernel's bound on one hold of its volume lock:
     * file data moved to or from the device (fat_io_direct()) and
     * clusters allocated (fat_alloc()).
     */
    uint64_t data_bytes, clusters_allocated, clusters_freed;
    /*
     * Chains being freed in steps (fat32_fat.c): clusters per step (0: a
     * whole chain at once) and the first cluster not yet freed of each.
     */
    uint32_t free_step;
    uint32_t pending[FAT_PENDING_MAX];
    uint32_t n_pending;
};

/* Where a directory is read: its chain, and the next slot to look at. */
struct fat_dir_iter {
    uint32_t first_cluster;
    uint32_t cluster; /* the cluster holding `slot`; 0 past the end */
    uint32_t slot;
    bool need_next; /* slot begins the cluster after `cluster` */
};

/* An entry found in a directory (or the root, which has none). */
struct fat_entry {
    struct fat_dirent_raw de; /* copy of the short entry */
    bool is_root;
    uint32_t dir_cluster; /* first cluster of the directory holding it */
    uint32_t first_slot;  /* its first long-name slot, or short_slot */
    uint32_t short_slot;
    uint64_t lba; /* where the short entry sits */
    uint32_t off;
};

struct fat_file {
    struct fat_volume *vol;
    struct fat_node *node;
    int flags;
    uint64_t pos; /* may lie past the end; a write there fills zeros */
    /* position cache: cluster number `index` of the chain is `cluster` */
    uint32_t cache_gen;
    uint32_t cache_index;
    uint32_t cache_cluster; /* 0: nothing cached */
    struct fat_dir_iter it; /* directories: where fat_readdir() is */
    /* readahead: the page a sequential read starts at, the window */
    uint64_t ra_next;
    uint64_t ra_pages;
};

/* What the name code decided a new name becomes on disk. */
struct fat_name_plan {
    uint8_t short_name[11]; /* the 8.3 name, or the basis of a ~N alias */
    uint8_t case_bits;      /* FAT_CASE_* for a short-only name */
    bool needs_lfn;         /* long-name slots before the short entry */
    bool try_plain;         /* with needs_lfn: try short_name untailed */
    uint16_t ucs[FAT_NAME_MAX];
    uint32_t ucs_len;
};

/* fat32_fat.c */
bool fat_cluster_ok(const struct fat_volume *vol, uint32_t c);
uint64_t fat_cluster_lba(const struct fat_volume *vol, uint32_t c);
int fat_get(struct fat_volume *vol, uint32_t c, uint32_t *value);
int fat_set(struct fat_volume *vol, uint32_t c, uint32_t value);
int fat_next(struct fat_volume *vol, uint32_t c, uint32_t *next);
int fat_alloc(struct fat_volume *vol, uint32_t prev, uint32_t *out);
int fat_free_chain(struct fat_volume *vol, uint32_t first);
int fat_trim_chain(struct fat_volume *vol, uint32_t first, uint32_t keep);
int fat_zero_cluster(struct fat_volume *vol, uint32_t c);
int fat_count_free(struct fat_volume *vol, uint32_t *out);

/* fat32_name.c */
void fat_short_display(const struct fat_dirent_raw *de, char *out, bool cased);
uint8_t fat_lfn_checksum(const uint8_t name[11]);
int fat_name_plan(const char *name, size_t len, struct fat_name_plan *out);
void fat_name_tail(uint8_t out[11], const uint8_t basis[11], uint32_t n);
size_t fat_ucs2_to_utf8(const uint16_t *in, uint32_t n, char *out);
bool fat_name_eq(const char *a, size_t alen, const char *b);
bool fat_is_dot_name(const char *name, size_t len);

/* fat32_time.c */
void fat_time_stamp(struct fat_volume *vol, struct fat_dirent_raw *de,
                    bool create);
void fat_time_decode(uint16_t date, uint16_t time, struct fat_clock_time *out);

/* fat32_dir.c and fat32_dir_add.c */
uint32_t fat_entry_cluster(const struct fat_dirent_raw *de);
void fat_entry_set_cluster(struct fat_dirent_raw *de, uint32_t c);
void fat_dir_start(struct fat_dir_iter *it, uint32_t first_cluster);
int fat_iter_load(struct fat_volume *vol, struct fat_dir_iter *it);
void fat_iter_place(const struct fat_volume *vol, const struct fat_dir_iter *it,
                    uint64_t *lba, uint32_t *off);
void fat_iter_advance(const struct fat_volume *vol, struct fat_dir_iter *it);
int fat_slot_place(struct fat_volume *vol, uint32_t dir, uint32_t slot,
                   uint64_t *lba, uint32_t *off);
int fat_dir_next(struct fat_volume *vol, struct fat_dir_iter *it,
                 struct fat_entry *out);
int fat_dir_lookup(struct fat_volume *vol, uint32_t dir, const char *name,
                   size_t len, struct fat_entry *out);
void fat_entry_init(struct fat_volume *vol, uint8_t attr, uint32_t cluster,
                    struct fat_dirent_raw *de);
int fat_dir_add(struct fat_volume *vol, uint32_t dir, const char *name,
                size_t len, const struct fat_dirent_raw *tmpl,
                const struct fat_entry *ignore, struct fat_entry *out);
int fat_dir_remove(struct fat_volume *vol, const struct fat_entry *e);
int fat_dir_is_empty(struct fat_volume *vol, uint32_t dir);
int fat_entry_write(struct fat_volume *vol, const struct fat_entry *e);
int fat_dir_cluster_of(struct fat_volume *vol, const struct fat_entry *e,
                       uint32_t *out);
void fat_root_entry(struct fat_volume *vol, struct fat_entry *out);

/* fat32_path.c */
struct fat_path {
    struct fat_entry parent; /* the directory the last component is in */
    struct fat_entry target; /* valid if found */
    bool found;
    const char *name; /* the last component; NULL for "", ".", ".." */
    size_t name_len;
    bool trailing_slash;
};
int fat_path_walk(struct fat_volume *vol, const char *path,
                  struct fat_path *out);

/* fat32_io.c */
uint32_t fat_clusters_for(const struct fat_volume *vol, uint64_t bytes);
int64_t fat_io_direct(struct fat_file *f, uint64_t pos, void *buf, size_t len,
                      bool write);
int64_t fat_io_read(struct fat_file *f, uint64_t pos, void *buf, size_t len);
int64_t fat_io_write(struct fat_file *f, uint64_t pos, const void *buf,
                     size_t len);
int fat_node_store(struct fat_volume *vol, struct fat_node *node, bool touch);
int fat_file_truncate(struct fat_file *f, uint64_t size);
int fat_file_extend(struct fat_file *f, uint64_t size);

/* fat32_file.c */
struct fat_node *fat_node_find(struct fat_volume *vol,
                               const struct fat_entry *e);
int fat_check_entry(struct fat_volume *vol, const struct fat_entry *e);

/* fat32_pcache.c */
#define FAT_PC_RA_MAX_PAGES 256 /* 1 MiB: the most one call reads or writes */
int fat_pc_init(struct fat_volume *vol);
void fat_pc_destroy(struct fat_volume *vol);
int64_t fat_pc_read(struct fat_file *f, uint64_t pos, void *buf, size_t len);
int64_t fat_pc_write(struct fat_file *f, uint64_t pos, const void *buf,
                     size_t len);
void fat_pc_forget(struct fat_volume *vol, uint32_t first_cluster);
void fat_pc_truncate(struct fat_volume *vol, const struct fat_node *node,
                     uint64_t size);
int64_t fat_pc_writeback(struct fat_volume *vol, uint64_t max_bytes);

/* fat32_mount.c */
int fat_fsinfo_store(struct fat_volume *vol);

/*
 * fat32_guard.c. fat_guard_init() puts the guard between vol and dev (the
 * FATs start at fat_first_lba, fat_count copies): vol->bd becomes the
 * guard. fat_guard_fail() makes the volume read-only with err, logging
 * what failed at lba once. fat_state_check() reads FAT[1] at mount and
 * logs an unclean volume: 0 or the device's error.
 */
void fat_guard_init(struct fat_volume *vol, struct blockdev *dev,
                    uint64_t fat_first_lba, uint32_t fat_count);
void fat_guard_fail(struct fat_volume *vol, int err, const char *what,
                    uint64_t lba);
int fat_state_check(struct fat_volume *vol);
/* Sets the clean bit after a repair and syncs: 0 or the device's error. */
int fat_state_repaired(struct fat_volume *vol);

/*
 * fat32_check.c: checks a volume found not cleanly unmounted and repairs
 * what a power cut leaves (lost clusters, differing FAT copies, a chain
 * longer than its file, the free count), then marks it clean; damage a
 * cut cannot leave makes it read-only (vol->error) with one log line and
 * nothing written. 0 (repaired or refused), -ENOMEM or the device's error.
 */
int fat_check_repair(struct fat_volume *vol);
