/*
 * Whole-entry operations: stat, readdir, mkdir, unlink, rmdir, the
 * read-only attribute (rename is fat32_rename.c).
 *
 * Each one walks its path(s) with fat_path_walk(), checks what POSIX asks
 * (kinds, emptiness, that nothing open is removed), then edits directory
 * entries and chains. The order of the edits keeps a failure harmless: a
 * new entry is written before an old one is removed, and a chain is freed
 * only after no entry names it any more.
 *
 * Locking: none (see fat32.h).
 * Portable: yes; also built into the tests/host/test_fat32_*.c tests.
 * See: docs/storage.md
 */
#include "fs/fat32_internal.h"

#include <ember/errno.h>
#include "lib/portable.h"

static void fill_stat(const struct fat_dirent_raw *de, struct fat_stat *st)
{
    st->is_dir = (de->attr & FAT_ATTR_DIRECTORY) != 0;
    st->size = st->is_dir ? 0 : de->size;
    st->attr = de->attr;
    st->first_cluster = fat_entry_cluster(de);
    fat_time_decode(de->wrt_date, de->wrt_time, &st->mtime);
    fat_time_decode(de->crt_date, de->crt_time, &st->ctime);
}

/* The entry path names: 0, -ENOENT, or the walk's error. */
static int walk_existing(struct fat_volume *vol, const char *path,
                         struct fat_path *p)
{
    int err = fat_path_walk(vol, path, p);
    if (err < 0)
        return err;
    return p->found ? 0 : -ENOENT;
}

int fat_stat(struct fat_volume *vol, const char *path, struct fat_stat *out)
{
    struct fat_path p;
    int err = walk_existing(vol, path, &p);
    if (err == 0)
        fill_stat(&p.target.de, out);
    return err;
}

int fat_set_read_only(struct fat_volume *vol, const char *path, bool read_only)
{
    struct fat_path p;
    int err = walk_existing(vol, path, &p);
    if (err < 0 || p.target.is_root)
        return err;
    uint8_t attr = read_only ? p.target.de.attr | FAT_ATTR_READ_ONLY
                             : p.target.de.attr & ~FAT_ATTR_READ_ONLY;
    if (attr == p.target.de.attr)
        return 0;
    p.target.de.attr = attr;
    err = fat_entry_write(vol, &p.target);
    struct fat_node *open = fat_node_find(vol, &p.target);
    if (err == 0 && open != NULL)
        open->attr = attr; /* what fat_fstat() of an orphan shows */
    return err;
}

int fat_fstat(struct fat_file *f, struct fat_stat *out)
{
    struct fat_entry e;
    if (f->node->is_root) {
        fat_root_entry(f->vol, &e);
    } else if (f->node->orphan) {
        memset(&e.de, 0, sizeof e.de); /* unlinked: the node is all there is */
        e.de.attr = f->node->attr;
        e.de.size = f->node->size;
        fat_entry_set_cluster(&e.de, f->node->first_cluster);
    } else {
        int err = bcache_read(f->vol->bc, f->node->ent_lba, f->node->ent_off,
                              sizeof e.de, &e.de);
        if (err < 0)
            return err;
    }
    fill_stat(&e.de, out);
    return 0;
}

int fat_readdir(struct fat_file *dir, struct fat_dirent *out)
{
    if (!(dir->node->attr & FAT_ATTR_DIRECTORY))
        return -ENOTDIR;
    struct fat_entry e;
    int r = fat_dir_next(dir->vol, &dir->it, &e);
    if (r <= 0)
        return r;
    memcpy(out->name, dir->vol->name, strlen(dir->vol->name) + 1);
    fat_short_display(&e.de, out->short_name, false);
    out->attr = e.de.attr;
    out->is_dir = (e.de.attr & FAT_ATTR_DIRECTORY) != 0;
    out->size = out->is_dir ? 0 : e.de.size;
    fat_time_decode(e.de.wrt_date, e.de.wrt_time, &out->mtime);
    return 1;
}

/* Write "." and ".." into the fresh (zeroed) directory cluster c. */
static int write_dots(struct fat_volume *vol, uint32_t c, uint32_t parent)
{
    struct fat_dirent_raw dot;
    fat_entry_init(vol, FAT_ATTR_DIRECTORY, c, &dot);
    memset(dot.name, ' ', sizeof dot.name);
    dot.name[0] = '.';
    int err =
        bcache_write(vol->bc, fat_cluster_lba(vol, c), 0, sizeof dot, &dot);
    if (err < 0)
        return err;
    dot.name[1] = '.';
    fat_entry_set_cluster(&dot, parent == vol->root_cluster ? 0 : parent);
    return bcache_write(vol->bc, fat_cluster_lba(vol, c), sizeof dot,
                        sizeof dot, &dot);
}

int fat_mkdir(struct fat_volume *vol, const char *path)
{
    struct fat_path p;
    int err = fat_path_walk(vol, path, &p);
    if (err < 0)
        return err;
    if (p.found)
        return -EEXIST;
    uint32_t dir, c;
    err = fat_dir_cluster_of(vol, &p.parent, &dir);
    if (err == 0)
        err = fat_alloc(vol, 0, &c);
    if (err < 0)
        return err;
    err = fat_zero_cluster(vol, c);
    if (err == 0)
        err = write_dots(vol, c, dir);
    if (err == 0) {
        struct fat_dirent_raw tmpl;
        struct fat_entry e;
        fat_entry_init(vol, FAT_ATTR_DIRECTORY, c, &tmpl);
        err = fat_dir_add(vol, dir, p.name, p.name_len, &tmpl, NULL, &e);
    }
    if (err < 0)
        fat_free_chain(vol, c);
    return err;
}

/* Remove an entry, then free the chain it named (if it names a real one). */
static int remove_entry(struct fat_volume *vol, const struct fat_entry *e)
{
    int err = fat_dir_remove(vol, e);
    uint32_t c = fat_entry_cluster(&e->de);
    if (err == 0 && fat_cluster_ok(vol, c))
        err = fat_free_chain(vol, c);
    return err;
}

int fat_unlink(struct fat_volume *vol, const char *path)
{
    struct fat_path p;
    int err = fat_path_walk(vol, path, &p);
    if (err < 0)
        return err;
    if (!p.found)
        return -ENOENT;
    if (p.name == NULL || (p.target.de.attr & FAT_ATTR_DIRECTORY))
        return -EISDIR;
    struct fat_node *open = fat_node_find(vol, &p.target);
    if (open != NULL) {
        /* Open: the name goes now, the clusters at the last close. */
        err = fat_dir_remove(vol, &p.target);
        if (err == 0)
            open->orphan = true;
        return err;
    }
    return remove_entry(vol, &p.target);
}

/* 0 if the directory entry e may go: a directory, empty, not open. */
static int check_removable_dir(struct fat_volume *vol,
                               const struct fat_entry *e)
{
    uint32_t c;
    int err = fat_dir_cluster_of(vol, e, &c);
    if (err < 0)
        return err;
    if (fat_node_find(vol, e) != NULL)
        return -EBUSY;
    err = fat_dir_is_empty(vol, c);
    if (err < 0)
        return err;
    return err == 1 ? 0 : -ENOTEMPTY;
}

int fat_rmdir(struct fat_volume *vol, const char *path)
{
    struct fat_path p;
    int err = fat_path_walk(vol, path, &p);
    if (err < 0)
        return err;
    if (!p.found)
        return -ENOENT;
    if (p.name == NULL)
        return p.target.is_root ? -EBUSY : -EINVAL;
    err = check_removable_dir(vol, &p.target);
    if (err < 0)
        return err;
    return remove_entry(vol, &p.target);
}
