/*
 * Directories: arrays of 32-byte slots in a cluster chain.
 *
 * A directory is read slot by slot through the sector cache. A slot whose
 * first byte is 0x00 ends the directory, 0xE5 marks a deleted one, and
 * attribute 0x0F marks a long-name slot. fat_dir_next() gathers the
 * long-name slots before a short entry and keeps the long name only if
 * their sequence numbers count down to 1 and their checksum matches the
 * short entry; otherwise the short name stands, as the specification says.
 *
 * New entries go into the first run of free slots long enough for the long
 * name and the short entry; the directory grows by a zeroed cluster when
 * there is none. A directory never shrinks, so the place of an entry (and of
 * a node's short entry) stays valid while the directory exists. Directories
 * stop at 65,536 slots (2 MiB), the specification's limit, which also bounds
 * every walk over a directory whose chain loops.
 *
 * Locking: none (see fat32.h). Names decoded by fat_dir_next() land in
 * vol->name, valid until the next call.
 * Portable: yes; also built into the tests/host/test_fat32_*.c tests.
 * See: docs/storage.md
 */
#include "fs/fat32_internal.h"

#include <ember/errno.h>
#include "lib/portable.h"

#define CLUSTER_HI_SHIFT 16
#define CLUSTER_LO_MASK  0xFFFF

/* Byte offsets of the three name pieces in a long-name slot. */
static const uint8_t lfn_char_offsets[FAT_LFN_CHARS] = {
    1, 3, 5, 7, 9, 14, 16, 18, 20, 22, 24, 28, 30,
};

uint32_t fat_entry_cluster(const struct fat_dirent_raw *de)
{
    return (uint32_t)de->cluster_hi << CLUSTER_HI_SHIFT | de->cluster_lo;
}

void fat_entry_set_cluster(struct fat_dirent_raw *de, uint32_t c)
{
    de->cluster_hi = (uint16_t)(c >> CLUSTER_HI_SHIFT);
    de->cluster_lo = (uint16_t)(c & CLUSTER_LO_MASK);
}

void fat_root_entry(struct fat_volume *vol, struct fat_entry *out)
{
    memset(out, 0, sizeof *out);
    out->is_root = true;
    out->de.attr = FAT_ATTR_DIRECTORY;
    out->de.wrt_date = out->de.crt_date = FAT_DATE_1980_01_01;
    fat_entry_set_cluster(&out->de, vol->root_cluster);
    out->dir_cluster = vol->root_cluster;
}

void fat_dir_start(struct fat_dir_iter *it, uint32_t first_cluster)
{
    it->first_cluster = first_cluster;
    it->cluster = first_cluster;
    it->slot = 0;
    it->need_next = false;
}

/* Make it->cluster the cluster holding it->slot (0 past the chain's end). */
int fat_iter_load(struct fat_volume *vol, struct fat_dir_iter *it)
{
    if (it->slot >= FAT_DIR_MAX_SLOTS) {
        it->cluster = 0;
        return 0;
    }
    if (it->need_next && it->cluster != 0) {
        int err = fat_next(vol, it->cluster, &it->cluster);
        if (err < 0)
            return err;
        it->need_next = false;
    }
    return 0;
}

void fat_iter_place(const struct fat_volume *vol, const struct fat_dir_iter *it,
                    uint64_t *lba, uint32_t *off)
{
    uint32_t byte = (it->slot * FAT_DIRENT_SIZE) % vol->cluster_size;
    *lba = fat_cluster_lba(vol, it->cluster) + byte / vol->sector_size;
    *off = byte % vol->sector_size;
}

void fat_iter_advance(const struct fat_volume *vol, struct fat_dir_iter *it)
{
    it->slot++;
    if ((it->slot * FAT_DIRENT_SIZE) % vol->cluster_size == 0)
        it->need_next = true;
}

/* Long-name gathering state for one fat_dir_next() call. */
struct lfn_state {
    uint32_t expect; /* the sequence number the next slot must carry; 0 none */
    uint32_t count;  /* slots in the name */
    uint8_t sum;
    uint32_t first_slot;
    uint16_t *ucs; /* vol->lfn, FAT_LFN_BUF_UNITS long */
};

static void lfn_take(struct lfn_state *st, const struct fat_lfn_raw *l,
                     uint32_t slot)
{
    uint32_t seq = l->ord & FAT_LFN_SEQ_MASK;
    if (l->ord & FAT_LFN_LAST) {
        st->expect = 0;
        if (seq == 0 || seq > FAT_LFN_MAX_SLOTS)
            return;
        st->count = seq;
        st->sum = l->checksum;
        st->first_slot = slot;
    } else if (st->expect == 0 || seq != st->expect || l->checksum != st->sum) {
        st->expect = 0; /* an orphan or out-of-order slot: drop the name */
        return;
    }
    const uint8_t *raw = (const uint8_t *)l;
    for (int i = 0; i < FAT_LFN_CHARS; i++) {
        const uint8_t *p = raw + lfn_char_offsets[i];
        st->ucs[(seq - 1) * FAT_LFN_CHARS + i] = (uint16_t)(p[0] | p[1] << 8);
    }
    st->expect = seq - 1;
    if (st->expect == 0)
        st->expect = UINT32_MAX; /* complete: the short entry comes next */
}

/* Fill vol->name from a complete long name, if it is one; else false. */
static bool lfn_finish(struct fat_volume *vol, struct lfn_state *st,
                       const struct fat_dirent_raw *de)
{
    if (st->expect != UINT32_MAX || st->sum != fat_lfn_checksum(de->name))
        return false;
    uint32_t n = 0;
    while (n < st->count * FAT_LFN_CHARS && st->ucs[n] != 0)
        n++;
    if (n == 0 || n > FAT_NAME_MAX)
        return false;
    fat_ucs2_to_utf8(st->ucs, n, vol->name);
    return true;
}

int fat_dir_next(struct fat_volume *vol, struct fat_dir_iter *it,
                 struct fat_entry *out)
{
    struct lfn_state lfn = {.expect = 0, .ucs = vol->lfn};
    struct lfn_state *st = &lfn;
    int ret;
    for (;;) {
        ret = fat_iter_load(vol, it);
        if (ret < 0 || it->cluster == 0)
            break;
        uint64_t lba;
        uint32_t off;
        fat_iter_place(vol, it, &lba, &off);
        ret = bcache_read(vol->bc, lba, off, FAT_DIRENT_SIZE, &out->de);
        if (ret < 0 || out->de.name[0] == FAT_SLOT_END)
            break;
        uint32_t slot = it->slot;
        fat_iter_advance(vol, it);
        uint8_t attr = out->de.attr & FAT_ATTR_MASK;
        if (out->de.name[0] == FAT_SLOT_DELETED) {
            st->expect = 0;
        } else if (attr == FAT_ATTR_LFN) {
            struct fat_lfn_raw l;
            memcpy(&l, &out->de, sizeof l);
            lfn_take(st, &l, slot);
        } else if (attr & FAT_ATTR_VOLUME_ID) {
            st->expect = 0;
        } else {
            bool has_lfn = lfn_finish(vol, st, &out->de);
            if (!has_lfn)
                fat_short_display(&out->de, vol->name, true);
            out->is_root = false;
            out->dir_cluster = it->first_cluster;
            out->first_slot = has_lfn ? st->first_slot : slot;
            out->short_slot = slot;
            out->lba = lba;
            out->off = off;
            ret = 1;
            break;
        }
    }
    return ret;
}

int fat_dir_lookup(struct fat_volume *vol, uint32_t dir, const char *name,
                   size_t len, struct fat_entry *out)
{
    struct fat_dir_iter it;
    char short_name[FAT_SHORT_NAME_BUF];
    fat_dir_start(&it, dir);
    for (;;) {
        int r = fat_dir_next(vol, &it, out);
        if (r <= 0)
            return r == 0 ? -ENOENT : r;
        if (fat_name_eq(name, len, vol->name))
            return 0;
        fat_short_display(&out->de, short_name, false);
        if (fat_name_eq(name, len, short_name))
            return 0;
    }
}

/* Sector and offset of slot number `slot` of the directory at `dir`. */
int fat_slot_place(struct fat_volume *vol, uint32_t dir, uint32_t slot,
                   uint64_t *lba, uint32_t *off)
{
    uint32_t per_cluster = vol->cluster_size / FAT_DIRENT_SIZE;
    uint32_t c = dir;
    for (uint32_t i = 0; i < slot / per_cluster; i++) {
        int err = fat_next(vol, c, &c);
        if (err < 0)
            return err;
        if (c == 0)
            return -EUCLEAN;
    }
    struct fat_dir_iter it = {.cluster = c, .slot = slot};
    fat_iter_place(vol, &it, lba, off);
    return 0;
}

int fat_entry_write(struct fat_volume *vol, const struct fat_entry *e)
{
    return bcache_write(vol->bc, e->lba, e->off, FAT_DIRENT_SIZE, &e->de);
}

int fat_dir_remove(struct fat_volume *vol, const struct fat_entry *e)
{
    static const uint8_t deleted = FAT_SLOT_DELETED;
    for (uint32_t slot = e->first_slot; slot <= e->short_slot; slot++) {
        uint64_t lba;
        uint32_t off;
        int err = fat_slot_place(vol, e->dir_cluster, slot, &lba, &off);
        if (err == 0)
            err = bcache_write(vol->bc, lba, off, 1, &deleted);
        if (err < 0)
            return err;
    }
    return 0;
}

int fat_dir_is_empty(struct fat_volume *vol, uint32_t dir)
{
    struct fat_dir_iter it;
    struct fat_entry e;
    fat_dir_start(&it, dir);
    for (;;) {
        int r = fat_dir_next(vol, &it, &e);
        if (r <= 0)
            return r == 0 ? 1 : r;
        if (!fat_is_dot_name(vol->name, strlen(vol->name)))
            return 0;
    }
}

int fat_dir_cluster_of(struct fat_volume *vol, const struct fat_entry *e,
                       uint32_t *out)
{
    if (!(e->de.attr & FAT_ATTR_DIRECTORY))
        return -ENOTDIR;
    uint32_t c = fat_entry_cluster(&e->de);
    if (c == 0 && e->de.name[0] == '.' && e->de.name[1] == '.')
        c = vol->root_cluster; /* ".." of a top-level directory */
    if (!fat_cluster_ok(vol, c)) {
        klog(LOG_ERR,
             "fat: directory entry names cluster %#x, outside the "
             "volume",
             c);
        return -EUCLEAN;
    }
    *out = c;
    return 0;
}
