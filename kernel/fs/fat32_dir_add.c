/*
 * Adding a directory entry: choose the alias, find free slots, write them.
 *
 * fat32_name.c decides what a name becomes (a short entry alone, or long
 * name slots plus an alias). Here the alias is made unique in its directory,
 * trying the upper-cased name itself first where it is a valid 8.3 name
 * ("Makefile" -> MAKEFILE), then the smallest free ~N on the basis name, as
 * mtools does (Windows switches to hashed aliases after ~4; either is valid).
 * The slots go into the first run of free slots long enough, and a long name is
 * written last slot first, each carrying the alias's checksum, so that a reader
 * sees the same layout as from mtools or Windows:
 *
 *   slot k      ord 0x40|N  units (N-1)*13 .. end, NUL, then 0xFFFF padding
 *   ...
 *   slot k+N-1  ord 1       units 0..12
 *   slot k+N    the short entry
 *
 * Locking: none (see fat32.h).
 * Portable: yes; also built into the tests/host/test_fat32_*.c tests.
 * See: docs/storage.md
 */
#include "fs/fat32_internal.h"

#include <ember/errno.h>
#include "lib/portable.h"

#define LFN_PAD          0xFFFF
#define SHORT_LEN        11
#define SHORT_BASE_LEN   8
#define SHORT_EXT_LEN    3
#define DECIMAL          10
#define BITS_PER_BYTE    8
#define TAIL_BITMAP_BITS (FAT_DIR_MAX_SLOTS + 2) /* more tails than entries */

/* Byte offsets of the 13 name units in a long-name slot. */
static const uint8_t lfn_char_offsets[FAT_LFN_CHARS] = {
    1, 3, 5, 7, 9, 14, 16, 18, 20, 22, 24, 28, 30,
};

void fat_entry_init(struct fat_volume *vol, uint8_t attr, uint32_t cluster,
                    struct fat_dirent_raw *de)
{
    memset(de, 0, sizeof *de);
    de->attr = attr;
    fat_entry_set_cluster(de, cluster);
    fat_time_stamp(vol, de, true);
}

/* 1 if another entry of dir has this 8.3 name, 0 if not, or an error. */
static int short_taken(struct fat_volume *vol, uint32_t dir,
                       const uint8_t name[11], const struct fat_entry *ignore)
{
    struct fat_dir_iter it;
    struct fat_entry e;
    fat_dir_start(&it, dir);
    for (;;) {
        int r = fat_dir_next(vol, &it, &e);
        if (r <= 0)
            return r;
        if (memcmp(e.de.name, name, SHORT_LEN) != 0)
            continue;
        if (ignore != NULL && ignore->dir_cluster == dir &&
            ignore->short_slot == e.short_slot)
            continue;
        return 1;
    }
}

/*
 * If the 8.3 name `n` is basis~N with the same extension (fat_name_tail's
 * form for N), return N; else 0.
 */
static uint32_t tail_of(const uint8_t n[11], const uint8_t basis[11])
{
    if (memcmp(n + SHORT_BASE_LEN, basis + SHORT_BASE_LEN, SHORT_EXT_LEN))
        return 0;
    uint32_t tilde = 0;
    while (tilde < SHORT_BASE_LEN && n[tilde] != '~')
        tilde++;
    uint32_t value = 0, i = tilde + 1;
    for (; i < SHORT_BASE_LEN && n[i] >= '0' && n[i] <= '9'; i++)
        value = value * DECIMAL + (n[i] - '0');
    if (tilde == 0 || tilde >= SHORT_BASE_LEN || i == tilde + 1 ||
        n[tilde + 1] == '0' || (i < SHORT_BASE_LEN && n[i] != ' '))
        return 0;
    uint8_t expect[11];
    fat_name_tail(expect, basis, value);
    return memcmp(expect, n, SHORT_BASE_LEN) == 0 ? value : 0;
}

/*
 * The smallest N for which basis~N is free: one pass over the directory
 * marks the tails in use, so making many similar names costs one scan each
 * (trying ~1, ~2, ... with a scan apiece would be quadratic per name).
 */
static int pick_tail(struct fat_volume *vol, uint32_t dir,
                     const uint8_t basis[11], const struct fat_entry *ignore,
                     uint32_t *out)
{
    uint8_t *used = kmalloc(TAIL_BITMAP_BITS / BITS_PER_BYTE);
    if (used == NULL)
        return -ENOMEM;
    memset(used, 0, TAIL_BITMAP_BITS / BITS_PER_BYTE);
    struct fat_dir_iter it;
    struct fat_entry e;
    int r;
    fat_dir_start(&it, dir);
    while ((r = fat_dir_next(vol, &it, &e)) == 1) {
        uint32_t n = tail_of(e.de.name, basis);
        bool ignored = ignore != NULL && ignore->dir_cluster == dir &&
                       ignore->short_slot == e.short_slot;
        if (n != 0 && n < TAIL_BITMAP_BITS && !ignored)
            used[n / BITS_PER_BYTE] |= (uint8_t)(1u << n % BITS_PER_BYTE);
    }
    uint32_t n = 1;
    while (n < TAIL_BITMAP_BITS &&
           (used[n / BITS_PER_BYTE] >> n % BITS_PER_BYTE & 1))
        n++;
    kfree(used);
    *out = n; /* a directory's 65,536 slots cannot use every tail */
    return r < 0 ? r : 0;
}

static int choose_alias(struct fat_volume *vol, uint32_t dir,
                        const struct fat_name_plan *plan,
                        const struct fat_entry *ignore, uint8_t out[11])
{
    memcpy(out, plan->short_name, SHORT_LEN);
    if (!plan->needs_lfn)
        return 0; /* a plain 8.3 name: the caller's lookup proved it free */
    if (plan->try_plain) {
        int r = short_taken(vol, dir, out, ignore);
        if (r <= 0)
            return r;
    }
    uint32_t n;
    int err = pick_tail(vol, dir, plan->short_name, ignore, &n);
    if (err == 0)
        fat_name_tail(out, plan->short_name, n);
    return err;
}

/* Find `need` consecutive free slots in dir, growing it by zeroed clusters. */
static int find_slots(struct fat_volume *vol, uint32_t dir, uint32_t need,
                      uint32_t *start)
{
    struct fat_dir_iter it;
    uint32_t run = 0, run_start = 0;
    fat_dir_start(&it, dir);
    for (;;) {
        if (it.slot >= FAT_DIR_MAX_SLOTS)
            return -ENOSPC;
        uint32_t prev = it.cluster;
        int err = fat_iter_load(vol, &it);
        if (err < 0)
            return err;
        if (it.cluster == 0) {
            err = fat_alloc(vol, prev, &it.cluster);
            if (err == 0)
                err = fat_zero_cluster(vol, it.cluster);
            if (err < 0)
                return err;
        }
        uint64_t lba;
        uint32_t off;
        uint8_t first;
        fat_iter_place(vol, &it, &lba, &off);
        err = bcache_read(vol->bc, lba, off, 1, &first);
        if (err < 0)
            return err;
        if (first == FAT_SLOT_END || first == FAT_SLOT_DELETED) {
            if (run++ == 0)
                run_start = it.slot;
            if (run == need) {
                *start = run_start;
                return 0;
            }
        } else {
            run = 0;
        }
        fat_iter_advance(vol, &it);
    }
}

/* The long-name slot with sequence number seq (1 = the name's start). */
static void make_lfn(const struct fat_name_plan *plan, uint32_t seq, bool last,
                     uint8_t sum, struct fat_lfn_raw *l)
{
    memset(l, 0, sizeof *l);
    l->ord = (uint8_t)(seq | (last ? FAT_LFN_LAST : 0));
    l->attr = FAT_ATTR_LFN;
    l->checksum = sum;
    uint8_t *raw = (uint8_t *)l;
    for (uint32_t i = 0; i < FAT_LFN_CHARS; i++) {
        uint32_t k = (seq - 1) * FAT_LFN_CHARS + i;
        uint16_t u = k < plan->ucs_len    ? plan->ucs[k]
                     : k == plan->ucs_len ? 0
                                          : LFN_PAD;
        raw[lfn_char_offsets[i]] = (uint8_t)u;
        raw[lfn_char_offsets[i] + 1] = (uint8_t)(u >> 8);
    }
}

static int write_slots(struct fat_volume *vol, uint32_t dir, uint32_t start,
                       const struct fat_name_plan *plan, uint32_t n_lfn,
                       struct fat_entry *e)
{
    uint8_t sum = fat_lfn_checksum(e->de.name);
    uint64_t lba;
    uint32_t off;
    for (uint32_t i = 0; i < n_lfn; i++) {
        struct fat_lfn_raw l;
        make_lfn(plan, n_lfn - i, i == 0, sum, &l);
        int err = fat_slot_place(vol, dir, start + i, &lba, &off);
        if (err == 0)
            err = bcache_write(vol->bc, lba, off, FAT_DIRENT_SIZE, &l);
        if (err < 0)
            return err;
    }
    int err = fat_slot_place(vol, dir, start + n_lfn, &lba, &off);
    if (err < 0)
        return err;
    e->is_root = false;
    e->dir_cluster = dir;
    e->first_slot = start;
    e->short_slot = start + n_lfn;
    e->lba = lba;
    e->off = off;
    return fat_entry_write(vol, e);
}

int fat_dir_add(struct fat_volume *vol, uint32_t dir, const char *name,
                size_t len, const struct fat_dirent_raw *tmpl,
                const struct fat_entry *ignore, struct fat_entry *out)
{
    struct fat_name_plan *plan = kmalloc(sizeof *plan);
    if (plan == NULL)
        return -ENOMEM;
    int err = fat_name_plan(name, len, plan);
    if (err < 0)
        goto out;
    out->de = *tmpl;
    err = choose_alias(vol, dir, plan, ignore, out->de.name);
    if (err < 0)
        goto out;
    out->de.ntres = plan->needs_lfn ? 0 : plan->case_bits;
    uint32_t n_lfn = 0;
    if (plan->needs_lfn)
        n_lfn = (plan->ucs_len + FAT_LFN_CHARS - 1) / FAT_LFN_CHARS;
    uint32_t start;
    err = find_slots(vol, dir, n_lfn + 1, &start);
    if (err < 0)
        goto out;
    err = write_slots(vol, dir, start, plan, n_lfn, out);
out:
    kfree(plan);
    return err;
}
