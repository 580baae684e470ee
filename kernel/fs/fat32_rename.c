/*
 * Rename and move, with POSIX rename()'s replace-the-target rules.
 *
 * The new entry is written before anything is removed, so a failure (no
 * room in the target directory) leaves the old name in place. Then the
 * replaced target (if any) and the old entry are removed. A directory that
 * changes parent gets its ".." entry pointed at the new one, and a node
 * that is open follows its entry to the new place.
 *
 * A directory may not move into its own subtree: the walk up from the new
 * parent through ".." entries must not meet it. The walk is bounded, so a
 * corrupted ".." cycle is -EUCLEAN, not a hang.
 *
 * Locking: none (see fat32.h).
 * Portable: yes; also built into the tests/host/test_fat32_*.c tests.
 * See: docs/storage.md
 */
#include "fs/fat32_internal.h"

#include <ember/errno.h>
#include "lib/portable.h"

#define DOTDOT_SLOT 1 /* ".." is the second slot of a directory */
#define MAX_DEPTH   (FAT_PATH_MAX / 2) /* a level is at least "a/" */

/* -EINVAL if directory cluster `dir` lies inside directory `moved`. */
static int check_not_inside(struct fat_volume *vol, uint32_t dir,
                            uint32_t moved)
{
    for (uint32_t depth = 0; depth < MAX_DEPTH; depth++) {
        if (dir == moved)
            return -EINVAL;
        if (dir == vol->root_cluster)
            return 0;
        struct fat_entry up;
        int err = fat_dir_lookup(vol, dir, "..", 2, &up);
        if (err == 0)
            err = fat_dir_cluster_of(vol, &up, &dir);
        if (err < 0)
            return err == -ENOENT ? -EUCLEAN : err;
    }
    return -EUCLEAN;
}

/* Point the ".." entry of directory c at its new parent. */
static int set_dotdot(struct fat_volume *vol, uint32_t c, uint32_t parent)
{
    uint64_t lba;
    uint32_t off;
    struct fat_dirent_raw de;
    int err = fat_slot_place(vol, c, DOTDOT_SLOT, &lba, &off);
    if (err == 0)
        err = bcache_read(vol->bc, lba, off, sizeof de, &de);
    if (err < 0)
        return err;
    if (de.name[0] != '.' || de.name[1] != '.')
        return -EUCLEAN;
    fat_entry_set_cluster(&de, parent == vol->root_cluster ? 0 : parent);
    return bcache_write(vol->bc, lba, off, sizeof de, &de);
}

/* May `to`'s existing entry be replaced by `from`'s? */
static int check_replace(struct fat_volume *vol, const struct fat_entry *from,
                         const struct fat_entry *to)
{
    bool from_dir = (from->de.attr & FAT_ATTR_DIRECTORY) != 0;
    bool to_dir = (to->de.attr & FAT_ATTR_DIRECTORY) != 0;
    if (from_dir && !to_dir)
        return -ENOTDIR;
    if (!from_dir && to_dir)
        return -EISDIR;
    if (fat_node_find(vol, to) != NULL)
        return -EBUSY;
    if (!to_dir)
        return 0;
    uint32_t c;
    int err = fat_dir_cluster_of(vol, to, &c);
    if (err == 0)
        err = fat_dir_is_empty(vol, c);
    if (err < 0)
        return err;
    return err == 1 ? 0 : -ENOTEMPTY;
}

/* The checks before anything is written; *replace says a target goes. */
static int check_rename(struct fat_volume *vol, const struct fat_path *a,
                        const struct fat_path *b, uint32_t new_dir,
                        bool *replace)
{
    *replace = false;
    if (a->target.de.attr & FAT_ATTR_DIRECTORY) {
        uint32_t moved;
        int err = fat_dir_cluster_of(vol, &a->target, &moved);
        if (err == 0)
            err = check_not_inside(vol, new_dir, moved);
        if (err < 0)
            return err;
    }
    if (!b->found)
        return 0;
    if (b->target.dir_cluster == a->target.dir_cluster &&
        b->target.short_slot == a->target.short_slot)
        return 0; /* the same entry: a change of case, or nothing */
    *replace = true;
    return check_replace(vol, &a->target, &b->target);
}

static int do_rename(struct fat_volume *vol, struct fat_path *a,
                     struct fat_path *b)
{
    uint32_t new_dir;
    bool replace = false;
    int err = fat_dir_cluster_of(vol, &b->parent, &new_dir);
    if (err == 0)
        err = check_rename(vol, a, b, new_dir, &replace);
    if (err < 0)
        return err;
    struct fat_entry moved;
    err = fat_dir_add(vol, new_dir, b->name, b->name_len, &a->target.de,
                      &a->target, &moved);
    if (err == 0 && replace)
        err = fat_dir_remove(vol, &b->target);
    if (err == 0)
        err = fat_dir_remove(vol, &a->target);
    if (err == 0 && replace &&
        fat_cluster_ok(vol, fat_entry_cluster(&b->target.de)))
        err = fat_free_chain(vol, fat_entry_cluster(&b->target.de));
    if (err == 0 && (moved.de.attr & FAT_ATTR_DIRECTORY) &&
        new_dir != a->target.dir_cluster)
        err = set_dotdot(vol, fat_entry_cluster(&moved.de), new_dir);
    struct fat_node *node = fat_node_find(vol, &a->target);
    if (err == 0 && node != NULL) {
        node->ent_lba = moved.lba;
        node->ent_off = moved.off;
    }
    return err;
}

int fat_rename(struct fat_volume *vol, const char *from, const char *to)
{
    struct fat_path *a = kmalloc(sizeof *a * 2);
    if (a == NULL)
        return -ENOMEM;
    struct fat_path *b = a + 1;
    int err = fat_path_walk(vol, from, a);
    if (err == 0 && !a->found)
        err = -ENOENT;
    if (err == 0 && a->name == NULL)
        err = a->target.is_root ? -EBUSY : -EINVAL;
    if (err == 0)
        err = fat_path_walk(vol, to, b);
    if (err == 0 && b->name == NULL)
        err = -EINVAL;
    if (err == 0 && b->trailing_slash &&
        !(a->target.de.attr & FAT_ATTR_DIRECTORY))
        err = -ENOTDIR;
    if (err == 0 && b->found && b->name_len == a->name_len &&
        memcmp(a->name, b->name, a->name_len) == 0 &&
        b->target.lba == a->target.lba && b->target.off == a->target.off)
        goto out; /* renaming a name to itself: nothing to do */
    if (err == 0)
        err = do_rename(vol, a, b);
out:
    kfree(a);
    return err;
}
