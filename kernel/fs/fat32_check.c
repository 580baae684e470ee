/*
 * The check at mount: a volume found not cleanly unmounted is walked from
 * its root and repaired before use, as a system runs fsck.fat at boot.
 *
 * FAT has no journal, and Ember orders its writes so that a power cut can
 * leave only damage that loses nothing (docs/storage.md): clusters
 * allocated but named by no chain (a cut before the entry that would name
 * them, or after an entry stopped naming them and before the frees), FAT
 * copies that differ (a cut between the copies' writes, the first one
 * whole, since the cache writes in LBA order), a chain longer than its
 * file's size (a cut after a file grew and before its new size), and a
 * stale FSInfo free count. Exactly these are repaired: the lost clusters
 * freed, every FAT copy made equal to the first, the chain cut at its
 * size, the free count recounted; then the clean bit is set again.
 *
 * Anything else is damage no cut of Ember's makes (a cluster in two
 * chains, a chain that loops, runs through a free or bad cluster or off
 * the volume, or ends before its size, a directory past FAT's 65,536
 * entries): repairing it would be guessing
 * which file keeps what. The volume is mounted read-only instead, with one
 * log line, and nothing is written: fsck.fat decides.
 *
 * How. Pass 1 walks every directory from the root with an explicit stack
 * of directory positions (no recursion: the kernel's stack is small),
 * marks every cluster it reaches in a bitmap (one bit per cluster, the
 * only memory that grows with the volume), and writes nothing. If it finds
 * no damage: the FAT copies are equalised, pass 2 walks again and cuts the
 * long chains, all that is synced, and only then are the unmarked clusters
 * freed (the order fat_free_chain() keeps: a cut in between must not leave
 * an entry naming a free cluster). The clean bit is set after everything
 * else has reached the disk, so a cut during the repair leaves the volume
 * dirty, and the next mount repairs it again.
 *
 * Locking: none (see fat32.h); it runs inside fat_mount().
 * Portable: yes; also built into the tests/host/test_fat32_*.c tests.
 * See: docs/storage.md
 */
#include "fs/fat32_internal.h"

#include <ember/errno.h>
#include "lib/portable.h"

#define CHECK_STACK_FIRST 16
#define CHECK_MAX_DEPTH   2048 /* PATH_MAX / 2: "a/" per level */
#define BITS_PER_BYTE     8
#define DOT_NAME          ".          "
#define DOTDOT_NAME       "..         "

struct check {
    struct fat_volume *vol;
    uint8_t *seen; /* one bit per cluster: reached from the root */
    bool fix;      /* pass 2: cut the long chains */
    /* the first damage found, or NULL */
    const char *damage;
    uint32_t damage_cluster;
    /* the walk's stack of directories being read */
    struct fat_dir_iter *stack;
    uint32_t depth, cap;
    /* what was (or, in pass 1, would be) repaired */
    uint32_t truncated;
};

static bool seen(const struct check *ck, uint32_t c)
{
    uint32_t i = c - FAT_FIRST_CLUSTER;
    return ck->seen[i / BITS_PER_BYTE] & (1u << (i % BITS_PER_BYTE));
}

static void see(struct check *ck, uint32_t c)
{
    uint32_t i = c - FAT_FIRST_CLUSTER;
    ck->seen[i / BITS_PER_BYTE] |= (uint8_t)(1u << (i % BITS_PER_BYTE));
}

/* Records the first damage; the walk stops with -EUCLEAN. */
static int damaged(struct check *ck, const char *what, uint32_t c)
{
    ck->damage = what;
    ck->damage_cluster = c;
    return -EUCLEAN;
}

/*
 * Marks the chain from c. A file's chain (sized) must hold `need`
 * clusters: one longer is cut there (in pass 2), one shorter is damage. A
 * directory's chain is marked to its end, which must come within `need`
 * clusters (FAT's 65,536 entries: entries past them are never read, so
 * the clusters they name would look lost).
 */
static int mark_chain(struct check *ck, uint32_t c, uint32_t need, bool sized)
{
    struct fat_volume *vol = ck->vol;
    for (uint32_t n = 1;; n++) {
        if (!fat_cluster_ok(vol, c))
            return damaged(ck, "a chain runs off the volume", c);
        uint32_t v;
        int err = fat_get(vol, c, &v);
        if (err < 0)
            return err;
        if (v == FAT_FREE)
            return damaged(ck, "a chain runs through a free cluster", c);
        if (v == FAT_BAD)
            return damaged(ck, "a bad cluster in a chain", c);
        if (seen(ck, c))
            return damaged(ck, "a cluster in two chains, or a loop", c);
        see(ck, c);
        if (sized && n == need) {
            if (v >= FAT_EOC_MIN)
                return 0;
            ck->truncated++;
            return ck->fix ? fat_set(vol, c, FAT_EOC) : 0;
        }
        if (v >= FAT_EOC_MIN)
            return sized ? damaged(ck, "a chain shorter than its file", c) : 0;
        if (!sized && n == need)
            return damaged(ck, "a directory past 65,536 entries", c);
        c = v;
    }
}

/* A file's entry: its chain, cut to its size. */
static int check_file(struct check *ck, struct fat_dirent_raw *de, uint64_t lba,
                      uint32_t off)
{
    struct fat_volume *vol = ck->vol;
    uint32_t c = fat_entry_cluster(de);
    uint32_t need = fat_clusters_for(vol, de->size);
    if (c == 0)
        return need == 0 ? 0
                         : damaged(ck, "a file with data but no cluster", 0);
    if (!fat_cluster_ok(vol, c))
        return damaged(ck, "an entry names a cluster off the volume", c);
    if (need > 0)
        return mark_chain(ck, c, need, true);
    /* Empty, with a chain (a cut before it grew): the chain goes. */
    ck->truncated++;
    if (!ck->fix)
        return 0;
    fat_entry_set_cluster(de, 0);
    return bcache_write(vol->bc, lba, off, sizeof *de, de);
}

/* Marks directory c's chain and pushes it on the walk's stack. */
static int enter_dir(struct check *ck, uint32_t c)
{
    if (!fat_cluster_ok(ck->vol, c))
        return damaged(ck, "a directory entry names a cluster off the volume",
                       c);
    uint32_t most = (uint32_t)((uint64_t)FAT_DIR_MAX_SLOTS * FAT_DIRENT_SIZE /
                               ck->vol->cluster_size);
    int err = mark_chain(ck, c, most, false);
    if (err < 0)
        return err;
    if (ck->depth == ck->cap) {
        if (ck->cap >= CHECK_MAX_DEPTH)
            return damaged(ck, "directories nested too deep to check", c);
        uint32_t cap = ck->cap * 2;
        struct fat_dir_iter *s = kmalloc(sizeof *s * cap);
        if (s == NULL)
            return -ENOMEM;
        memcpy(s, ck->stack, sizeof *s * ck->depth);
        kfree(ck->stack);
        ck->stack = s;
        ck->cap = cap;
    }
    fat_dir_start(&ck->stack[ck->depth++], c);
    return 0;
}

static bool is_dot(const struct fat_dirent_raw *de)
{
    return memcmp(de->name, DOT_NAME, sizeof de->name) == 0 ||
           memcmp(de->name, DOTDOT_NAME, sizeof de->name) == 0;
}

/* One slot of the directory on top of the stack; pops it at its end. */
static int walk_step(struct check *ck)
{
    struct fat_volume *vol = ck->vol;
    struct fat_dir_iter *it = &ck->stack[ck->depth - 1];
    int err = fat_iter_load(vol, it);
    if (err < 0)
        return err;
    struct fat_dirent_raw de;
    uint64_t lba = 0;
    uint32_t off = 0;
    if (it->cluster != 0) {
        fat_iter_place(vol, it, &lba, &off);
        err = bcache_read(vol->bc, lba, off, sizeof de, &de);
        if (err < 0)
            return err;
    }
    if (it->cluster == 0 || de.name[0] == FAT_SLOT_END) {
        ck->depth--;
        return 0;
    }
    fat_iter_advance(vol, it);
    uint8_t attr = de.attr & FAT_ATTR_MASK;
    if (de.name[0] == FAT_SLOT_DELETED || attr == FAT_ATTR_LFN ||
        (attr & FAT_ATTR_VOLUME_ID) || is_dot(&de))
        return 0;
    if (attr & FAT_ATTR_DIRECTORY)
        return enter_dir(ck, fat_entry_cluster(&de));
    return check_file(ck, &de, lba, off);
}

/* One pass over the whole tree, marking from an empty bitmap. */
static int walk(struct check *ck, bool fix)
{
    ck->fix = fix;
    ck->depth = 0;
    ck->truncated = 0;
    memset(ck->seen, 0,
           (ck->vol->cluster_count + BITS_PER_BYTE - 1) / BITS_PER_BYTE);
    int err = enter_dir(ck, ck->vol->root_cluster);
    while (err == 0 && ck->depth > 0)
        err = walk_step(ck);
    return err;
}

/*
 * Makes every other FAT copy equal to the first, a cluster's worth of
 * sectors at a time; returns the sectors that differed, or the error.
 */
static int64_t equalise_fats(struct fat_volume *vol, uint8_t *a, uint8_t *b)
{
    int64_t differ = 0;
    uint32_t chunk = vol->sectors_per_cluster;
    for (uint32_t s = 0; s < vol->fat_sectors; s += chunk) {
        uint32_t n =
            vol->fat_sectors - s < chunk ? vol->fat_sectors - s : chunk;
        int err = bcache_read_direct(vol->bc, vol->fat_lba + s, n, a);
        for (uint32_t k = 1; err == 0 && k < vol->fat_copies; k++) {
            uint64_t lba = vol->fat_lba + (uint64_t)k * vol->fat_sectors + s;
            err = bcache_read_direct(vol->bc, lba, n, b);
            uint32_t d = 0;
            for (uint32_t i = 0; err == 0 && i < n; i++)
                d += memcmp(a + i * vol->sector_size, b + i * vol->sector_size,
                            vol->sector_size) != 0;
            if (err == 0 && d > 0)
                err = bcache_write_direct(vol->bc, lba, n, a);
            differ += d;
        }
        if (err < 0)
            return err;
    }
    return differ;
}

/*
 * Frees every allocated cluster the walk did not reach (bad ones stay
 * marked bad), writing each changed piece of the FAT to every copy, the
 * first first. Returns how many, or the error.
 */
static int64_t free_lost(struct check *ck, uint32_t *buf)
{
    struct fat_volume *vol = ck->vol;
    uint32_t per_sector = vol->sector_size / sizeof(uint32_t);
    uint32_t end = FAT_FIRST_CLUSTER + vol->cluster_count;
    uint32_t chunk = vol->sectors_per_cluster;
    int64_t lost = 0;
    for (uint32_t s = 0; s * per_sector < end; s += chunk) {
        uint32_t n =
            vol->fat_sectors - s < chunk ? vol->fat_sectors - s : chunk;
        int err = bcache_read_direct(vol->bc, vol->fat_lba + s, n, buf);
        if (err < 0)
            return err;
        uint32_t first = s * per_sector; /* the cluster of buf[0] */
        bool changed = false;
        for (uint32_t i = 0; i < n * per_sector; i++) {
            uint32_t c = first + i, v = buf[i] & FAT_ENTRY_MASK;
            if (c < FAT_FIRST_CLUSTER || c >= end || v == FAT_FREE ||
                v == FAT_BAD || seen(ck, c))
                continue;
            buf[i] &= ~FAT_ENTRY_MASK;
            changed = true;
            lost++;
        }
        for (uint32_t k = 0; changed && k < vol->fat_copies; k++) {
            uint64_t lba = vol->fat_lba + (uint64_t)k * vol->fat_sectors + s;
            err = bcache_write_direct(vol->bc, lba, n, buf);
            if (err < 0)
                return err;
        }
    }
    return lost;
}

/* Everything after a pass 1 that found no damage. */
static int repair(struct check *ck, uint8_t *a, uint8_t *b)
{
    struct fat_volume *vol = ck->vol;
    int64_t fats = equalise_fats(vol, a, b);
    if (fats < 0)
        return (int)fats;
    uint32_t truncated = ck->truncated;
    int err = truncated > 0 ? walk(ck, true) : 0;
    if (err == 0)
        err = bcache_sync(vol->bc); /* the cut chains before the frees */
    int64_t lost = err == 0 ? free_lost(ck, (uint32_t *)a) : 0;
    if (lost < 0)
        return (int)lost;
    uint32_t was = vol->free_count, counted = 0;
    if (err == 0)
        err = fat_count_free(vol, &counted);
    if (err < 0)
        return err;
    vol->free_count = counted;
    vol->free_unverified = false;
    vol->fsinfo_dirty = true;
    err = fat_sync(vol);
    if (err == 0)
        err = fat_state_repaired(vol);
    if (err < 0)
        return err;
    klog(LOG_INFO,
         "fat: volume repaired: %lld lost clusters freed, %lld FAT sectors "
         "copied from the first FAT, %u chains cut to their file's size, "
         "free count %u (FSInfo said %u); marked clean",
         (long long)lost, (long long)fats, truncated, counted, was);
    return 0;
}

int fat_check_repair(struct fat_volume *vol)
{
    struct check ck = {.vol = vol, .cap = CHECK_STACK_FIRST};
    size_t map_bytes = (vol->cluster_count + BITS_PER_BYTE - 1) / BITS_PER_BYTE;
    ck.seen = kmalloc(map_bytes);
    ck.stack = kmalloc(sizeof *ck.stack * ck.cap);
    uint8_t *b = kmalloc(vol->cluster_size);
    int err = -ENOMEM;
    if (ck.seen == NULL || ck.stack == NULL || b == NULL)
        goto out;
    err = walk(&ck, false);
    if (err == -EUCLEAN && ck.damage != NULL) {
        vol->error = -EROFS; /* read-only: the guard writes nothing */
        vol->refused = true;
        klog(LOG_ERR,
             "fat: volume damaged (%s, cluster %u); mounted read-only, run "
             "fsck.fat",
             ck.damage, ck.damage_cluster);
        err = 0;
        goto out;
    }
    if (err == 0)
        err = repair(&ck, vol->scratch, b);
out:
    kfree(b);
    kfree(ck.stack);
    kfree(ck.seen);
    return err;
}
