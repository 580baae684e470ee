/*
 * Open files: nodes shared by handles, and open, close, read, write, seek.
 *
 * Every open file or directory has one struct fat_node, found again by the
 * place of its short entry, so two handles on one file agree on its size
 * and first cluster, and unlink, rmdir and rename can tell that a file is
 * open. A handle (struct fat_file) adds its own flags, position and cached
 * place in the chain. Every change to a node is copied into its directory
 * entry in the sector cache at once, so fat_stat() by path and a later
 * mount see the exact size; fat_close() then syncs the volume.
 *
 * Entries are checked before a file is opened: a first cluster outside the
 * volume, a non-empty file with no cluster, or a size needing more clusters
 * than the volume has are -EUCLEAN, which bounds every later chain walk.
 *
 * Locking: none (see fat32.h).
 * Portable: yes; also built into the tests/host/test_fat32_*.c tests.
 * See: docs/storage.md
 */
#include "fs/fat32_internal.h"

#include <ember/errno.h>
#include "lib/portable.h"

struct fat_node *fat_node_find(struct fat_volume *vol,
                               const struct fat_entry *e)
{
    for (struct fat_node *n = vol->nodes; n != NULL; n = n->next) {
        if (n->orphan)
            continue; /* it has no entry any more */
        if (e->is_root
                ? n->is_root
                : !n->is_root && n->ent_lba == e->lba && n->ent_off == e->off)
            return n;
    }
    return NULL;
}

int fat_check_entry(struct fat_volume *vol, const struct fat_entry *e)
{
    uint32_t c = fat_entry_cluster(&e->de);
    if (e->de.attr & FAT_ATTR_DIRECTORY)
        return fat_dir_cluster_of(vol, e, &c);
    if ((c != 0 && !fat_cluster_ok(vol, c)) || (c == 0 && e->de.size != 0) ||
        fat_clusters_for(vol, e->de.size) > vol->cluster_count) {
        klog(LOG_ERR,
             "fat: entry of %u bytes at cluster %#x does not fit "
             "the volume",
             e->de.size, c);
        return -EUCLEAN;
    }
    return 0;
}

static int node_get(struct fat_volume *vol, const struct fat_entry *e,
                    struct fat_node **out)
{
    struct fat_node *n = fat_node_find(vol, e);
    if (n == NULL) {
        n = kmalloc(sizeof *n);
        if (n == NULL)
            return -ENOMEM;
        memset(n, 0, sizeof *n);
        n->is_root = e->is_root;
        n->ent_lba = e->lba;
        n->ent_off = e->off;
        n->attr = e->de.attr;
        n->size = (e->de.attr & FAT_ATTR_DIRECTORY) ? 0 : e->de.size;
        n->first_cluster = fat_entry_cluster(&e->de);
        if (e->de.attr & FAT_ATTR_DIRECTORY)
            fat_dir_cluster_of(vol, e, &n->first_cluster);
        n->next = vol->nodes;
        vol->nodes = n;
    }
    n->refs++;
    *out = n;
    return 0;
}

static void node_put(struct fat_volume *vol, struct fat_node *node)
{
    if (--node->refs > 0)
        return;
    /* The last handle of an unlinked file: now its clusters go. */
    if (node->orphan && fat_cluster_ok(vol, node->first_cluster) &&
        fat_free_chain(vol, node->first_cluster) < 0)
        klog(LOG_ERR, "fat: freeing an unlinked file's clusters failed");
    for (struct fat_node **p = &vol->nodes; *p != NULL; p = &(*p)->next) {
        if (*p == node) {
            *p = node->next;
            break;
        }
    }
    kfree(node);
}

/* A new empty file named by the walk's last component. */
static int create_file(struct fat_volume *vol, struct fat_path *p)
{
    uint32_t dir;
    int err = fat_dir_cluster_of(vol, &p->parent, &dir);
    if (err < 0)
        return err;
    struct fat_dirent_raw tmpl;
    fat_entry_init(vol, FAT_ATTR_ARCHIVE, 0, &tmpl);
    return fat_dir_add(vol, dir, p->name, p->name_len, &tmpl, NULL, &p->target);
}

/* May an existing entry be opened with these flags? */
static int check_flags(const struct fat_entry *e, int flags)
{
    bool writing = (flags & FAT_O_ACCMODE) != FAT_O_RDONLY;
    if (e->de.attr & FAT_ATTR_DIRECTORY) {
        if (writing || (flags & FAT_O_TRUNC))
            return -EISDIR;
        return 0;
    }
    if (flags & FAT_O_DIRECTORY)
        return -ENOTDIR;
    if (writing && (e->de.attr & FAT_ATTR_READ_ONLY))
        return -EACCES;
    return 0;
}

/* Find or make the entry that fat_open() names. */
static int open_entry(struct fat_volume *vol, const char *path, int flags,
                      struct fat_path *p)
{
    int err = fat_path_walk(vol, path, p);
    if (err < 0)
        return err;
    if (p->found) {
        if ((flags & FAT_O_CREAT) && (flags & FAT_O_EXCL))
            return -EEXIST;
        err = check_flags(&p->target, flags);
        if (err == 0)
            err = fat_check_entry(vol, &p->target);
        return err;
    }
    if (!(flags & FAT_O_CREAT))
        return -ENOENT;
    if (p->trailing_slash || (flags & FAT_O_DIRECTORY))
        return -EISDIR;
    return create_file(vol, p);
}

int fat_open(struct fat_volume *vol, const char *path, int flags,
             struct fat_file **out)
{
    struct fat_path p;
    int err = open_entry(vol, path, flags, &p);
    if (err < 0)
        return err;
    struct fat_file *f = kmalloc(sizeof *f);
    if (f == NULL)
        return -ENOMEM;
    memset(f, 0, sizeof *f);
    err = node_get(vol, &p.target, &f->node);
    if (err < 0) {
        kfree(f);
        return err;
    }
    f->vol = vol;
    f->flags = flags;
    if (f->node->attr & FAT_ATTR_DIRECTORY)
        fat_dir_start(&f->it, f->node->first_cluster);
    bool writing = (flags & FAT_O_ACCMODE) != FAT_O_RDONLY;
    if ((flags & FAT_O_TRUNC) && writing && f->node->size > 0)
        err = fat_file_truncate(f, 0);
    if (err < 0) {
        fat_close(f);
        return err;
    }
    *out = f;
    return 0;
}

bool fat_release(struct fat_file *f)
{
    bool freed = f->node->refs == 1 && f->node->orphan;
    node_put(f->vol, f->node);
    kfree(f);
    return freed;
}

int fat_close(struct fat_file *f)
{
    struct fat_volume *vol = f->vol;
    fat_release(f);
    return fat_sync(vol);
}

int64_t fat_read(struct fat_file *f, void *buf, size_t len)
{
    struct fat_node *node = f->node;
    if (node->attr & FAT_ATTR_DIRECTORY)
        return -EISDIR;
    if ((f->flags & FAT_O_ACCMODE) == FAT_O_WRONLY)
        return -EBADF;
    if (f->pos >= node->size || len == 0)
        return 0;
    if (len > node->size - f->pos)
        len = (size_t)(node->size - f->pos);
    int64_t n = fat_io_read(f, f->pos, buf, len);
    if (n > 0)
        f->pos += (uint64_t)n;
    return n;
}

int64_t fat_write(struct fat_file *f, const void *buf, size_t len)
{
    struct fat_node *node = f->node;
    if (node->attr & FAT_ATTR_DIRECTORY)
        return -EISDIR;
    if ((f->flags & FAT_O_ACCMODE) == FAT_O_RDONLY)
        return -EBADF;
    uint64_t pos = (f->flags & FAT_O_APPEND) ? node->size : f->pos;
    if (len == 0)
        return 0;
    if (pos >= FAT_FILE_SIZE_MAX)
        return -EFBIG;
    if (len > FAT_FILE_SIZE_MAX - pos)
        len = (size_t)(FAT_FILE_SIZE_MAX - pos);
    if (pos > node->size) {
        int err = fat_file_extend(f, pos);
        if (err < 0)
            return err;
    }
    int64_t n = fat_io_write(f, pos, buf, len);
    if (n > 0)
        f->pos = pos + (uint64_t)n;
    return n;
}

int64_t fat_seek(struct fat_file *f, int64_t off, int whence)
{
    struct fat_node *node = f->node;
    if (node->attr & FAT_ATTR_DIRECTORY) {
        if (off != 0 || whence != FAT_SEEK_SET)
            return -EINVAL;
        fat_dir_start(&f->it, node->first_cluster);
        return 0;
    }
    int64_t base = whence == FAT_SEEK_SET   ? 0
                   : whence == FAT_SEEK_CUR ? (int64_t)f->pos
                   : whence == FAT_SEEK_END ? (int64_t)node->size
                                            : -1;
    if (base < 0 || off < -base || off > (int64_t)FAT_FILE_SIZE_MAX - base)
        return -EINVAL;
    f->pos = (uint64_t)(base + off);
    return (int64_t)f->pos;
}

int fat_ftruncate(struct fat_file *f, uint64_t size)
{
    if (f->node->attr & FAT_ATTR_DIRECTORY)
        return -EISDIR;
    if ((f->flags & FAT_O_ACCMODE) == FAT_O_RDONLY)
        return -EBADF;
    return fat_file_truncate(f, size);
}

int fat_truncate(struct fat_volume *vol, const char *path, uint64_t size)
{
    struct fat_file *f;
    int err = fat_open(vol, path, FAT_O_WRONLY, &f);
    if (err < 0)
        return err;
    err = fat_ftruncate(f, size);
    int sync_err = fat_close(f);
    return err < 0 ? err : sync_err;
}
