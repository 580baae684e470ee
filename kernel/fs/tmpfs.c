/*
 * tmpfs: the tree of names of a filesystem in memory, and the VFS's
 * operations on it.
 *
 * An instance is a tree of inodes (struct tmpfs_inode): directories hold
 * a list of names, a name points at an inode, and an inode counts the
 * names and the open files that hold it, so a file unlinked while open
 * keeps its data until the last close, and a hard link is a second name.
 * Unlike FAT32 it has what Unix programs expect of /tmp: symbolic links,
 * hard links, permission bits, owners, case-sensitive names, nanosecond
 * times, and rename over a file or an empty directory.
 *
 * File data lives in page-cache pages (fs/pcache.h) with no backing
 * store: one cache per instance, keyed by inode number, every page dirty
 * and no writeback, so nothing is ever reclaimed. The instance's size
 * (size=, half of RAM by default) bounds the pages, and inodes are bounded
 * as Linux's nr_inodes, so filling it is -ENOSPC, never the kernel's own
 * memory running out.
 *
 * The VFS resolves `.`, `..` and links before a path reaches here, so a
 * walk in this file only finds names: every name but the last must be a
 * directory.
 *
 * Locking: sb->lock, a mutex, around each operation (tmpfs_internal.h).
 * Context: task.
 * See: docs/storage.md
 */
#include "fs/tmpfs.h"

#include <ember/errno.h>
#include <ember/fcntl.h>
#include <ember/stat.h>

#include "drivers/rtc.h"
#include "fs/file.h"
#include "fs/tmpfs_internal.h"
#include "lib/format.h"
#include "lib/portable.h"
#include "mm/kheap.h"
#include "mm/layout.h"
#include "mm/pmm.h"

#define ROOT_MODE    01777 /* Linux's default for a tmpfs root */
#define BOGO_DIRENT  20    /* Linux's tmpfs: a directory's size per entry */
#define PERM_BITS    07777
#define LINK_MODE    0777 /* a link's bits: Linux shows 0777 */
#define NS_PER_SEC   1000000000ull
#define TMPFS_DEV    0x00000014 /* makedev(0, 20): the first anonymous dev */
#define PERCENT      100
#define INODE_FACTOR 2   /* nr_inodes: half of the pages, as Linux's default */
#define STAT_BLOCK   512 /* st_blocks counts 512-byte units */

/* Instances made so far, for st_dev. */
static struct {
    uint64_t instances; /* atomic */
} tmpfs;

struct timespec tmpfs_now(void)
{
    uint64_t ns = rtc_realtime_ns();
    return (struct timespec){(int64_t)(ns / NS_PER_SEC),
                             (int64_t)(ns % NS_PER_SEC)};
}

static struct tmpfs_sb *sb_of(const struct vfs_fs *fs)
{
    return fs->sb;
}

/* ---- inodes ---- */

static struct tmpfs_inode *inode_new(struct tmpfs_sb *sb, uint32_t mode)
{
    if (sb->inodes >= sb->max_inodes)
        return NULL;
    struct tmpfs_inode *n = kmalloc(sizeof *n);
    if (n == NULL)
        return NULL;
    memset(n, 0, sizeof *n);
    n->ino = sb->next_ino++;
    n->mode = mode;
    n->atime = n->mtime = n->ctime = tmpfs_now();
    if (S_ISDIR(mode))
        n->size = 2 * BOGO_DIRENT;
    sb->inodes++;
    return n;
}

void tmpfs_maybe_free(struct tmpfs_sb *sb, struct tmpfs_inode *node)
{
    if (node->links > 0 || node->opens > 0 || node == sb->root)
        return;
    if (S_ISREG(node->mode) && node->pages > 0) /* a scan of the cache */
        pcache_drop_file(&sb->cache, node->ino, 0);
    kfree(node->link);
    kfree(node);
    sb->inodes--;
}

void tmpfs_fill_stat(const struct tmpfs_sb *sb, const struct tmpfs_inode *n,
                     struct stat *st)
{
    memset(st, 0, sizeof *st);
    st->st_dev = sb->dev;
    st->st_ino = n->ino;
    st->st_mode = n->mode;
    st->st_nlink =
        S_ISDIR(n->mode) ? (n->links ? 2u : 0u) + n->subdirs : n->links;
    if (n == sb->root)
        st->st_nlink = 2 + n->subdirs;
    st->st_uid = n->uid;
    st->st_gid = n->gid;
    st->st_rdev = n->rdev;
    st->st_size = (int64_t)n->size;
    st->st_blksize = PCACHE_PAGE;
    st->st_atim = n->atime;
    st->st_mtim = n->mtime;
    st->st_ctim = n->ctime;
    st->st_blocks = (int64_t)(n->pages * (PCACHE_PAGE / STAT_BLOCK));
}

/* ---- the walk below the mount ---- */

static struct tmpfs_dirent *find_entry(const struct tmpfs_inode *dir,
                                       const char *name, size_t len)
{
    for (struct tmpfs_dirent *d = dir->entries; d; d = d->next) {
        if (strncmp(d->name, name, len) == 0 && d->name[len] == '\0')
            return d;
    }
    return NULL;
}

/*
 * The directory holding the last name of path, and that name (pointing
 * into path, its length in *len; 0 for the root itself). -ENOENT if a
 * directory on the way is missing, -ENOTDIR if a name on the way is not
 * one.
 */
static int walk_parent(struct tmpfs_sb *sb, const char *path,
                       struct tmpfs_inode **dir, const char **name, size_t *len)
{
    struct tmpfs_inode *at = sb->root;
    const char *p = path;
    for (;;) {
        while (*p == '/')
            p++;
        const char *c = p;
        while (*p && *p != '/')
            p++;
        const char *rest = p;
        while (*rest == '/')
            rest++;
        if (*rest == '\0') { /* c is the last name */
            *dir = at;
            *name = c;
            *len = (size_t)(p - c);
            return 0;
        }
        struct tmpfs_dirent *d = find_entry(at, c, (size_t)(p - c));
        if (d == NULL)
            return -ENOENT;
        if (!S_ISDIR(d->node->mode))
            return -ENOTDIR;
        at = d->node;
    }
}

/* The inode path names: 0 and *out, -ENOENT, -ENOTDIR. */
static int walk(struct tmpfs_sb *sb, const char *path, struct tmpfs_inode **out)
{
    struct tmpfs_inode *dir;
    const char *name;
    size_t len;
    int err = walk_parent(sb, path, &dir, &name, &len);
    if (err < 0)
        return err;
    if (len == 0) {
        *out = dir;
        return 0;
    }
    struct tmpfs_dirent *d = find_entry(dir, name, len);
    if (d == NULL)
        return -ENOENT;
    *out = d->node;
    return 0;
}

static void touch(struct tmpfs_inode *dir)
{
    dir->mtime = dir->ctime = tmpfs_now();
}

/* Adds the name to dir, pointing at node. -ENOMEM. */
static int add_entry(struct tmpfs_sb *sb, struct tmpfs_inode *dir,
                     const char *name, size_t len, struct tmpfs_inode *node)
{
    struct tmpfs_dirent *d = kmalloc(sizeof *d + len + 1);
    if (d == NULL)
        return -ENOMEM;
    d->next = NULL;
    d->node = node;
    d->off = sb->next_off++;
    memcpy(d->name, name, len);
    d->name[len] = '\0';
    struct tmpfs_dirent **tail = &dir->entries;
    while (*tail)
        tail = &(*tail)->next;
    *tail = d;
    node->links++;
    if (S_ISDIR(node->mode)) {
        dir->subdirs++;
        node->parent = dir;
    }
    dir->size += BOGO_DIRENT;
    touch(dir);
    return 0;
}

/* Takes the name d out of dir; the inode is freed if nothing holds it. */
static void remove_entry(struct tmpfs_sb *sb, struct tmpfs_inode *dir,
                         struct tmpfs_dirent *d, bool free_node)
{
    struct tmpfs_dirent **pp = &dir->entries;
    while (*pp != d)
        pp = &(*pp)->next;
    *pp = d->next;
    struct tmpfs_inode *node = d->node;
    node->links--;
    node->ctime = tmpfs_now();
    if (S_ISDIR(node->mode)) {
        dir->subdirs--;
        if (node->links == 0)
            node->parent = NULL;
    }
    dir->size -= BOGO_DIRENT;
    touch(dir);
    kfree(d);
    if (free_node)
        tmpfs_maybe_free(sb, node);
}

/* A new inode under a new name: the common part of create, mkdir, link. */
static int make(struct tmpfs_sb *sb, const char *path, uint32_t mode,
                struct tmpfs_inode **out)
{
    struct tmpfs_inode *dir;
    const char *name;
    size_t len;
    int err = walk_parent(sb, path, &dir, &name, &len);
    if (err < 0)
        return err;
    if (len == 0 || find_entry(dir, name, len))
        return -EEXIST;
    if (!S_ISDIR(dir->mode))
        return -ENOTDIR;
    if (dir->links == 0 && dir != sb->root)
        return -ENOENT; /* the directory was removed */
    struct tmpfs_inode *node = inode_new(sb, mode);
    if (node == NULL)
        return -ENOSPC; /* nr_inodes reached, or the heap is full */
    err = add_entry(sb, dir, name, len, node);
    if (err < 0) {
        kfree(node);
        sb->inodes--;
        return err;
    }
    *out = node;
    return 0;
}

/* ---- the VFS's operations ---- */

static int tmpfs_open(const struct vfs_fs *fs, const char *path, int flags,
                      uint32_t mode, struct file **out)
{
    struct tmpfs_sb *sb = sb_of(fs);
    struct tmpfs_inode *node;
    mutex_lock(&sb->lock);
    int err = walk(sb, path, &node);
    if (err == -ENOENT && (flags & O_CREAT))
        err = make(sb, path, S_IFREG | (mode & PERM_BITS), &node);
    else if (err == 0 && (flags & O_CREAT) && (flags & O_EXCL))
        err = -EEXIST;
    bool writes = (flags & O_ACCMODE) != O_RDONLY;
    if (err == 0 && S_ISDIR(node->mode) && (writes || (flags & O_TRUNC)))
        err = -EISDIR;
    if (err == 0 && !S_ISDIR(node->mode) && (flags & O_DIRECTORY))
        err = -ENOTDIR;
    if (err == 0 && S_ISLNK(node->mode))
        err = -ELOOP; /* only with O_NOFOLLOW does a link get here */
    if (err == 0 && !S_ISREG(node->mode) && !S_ISDIR(node->mode))
        err = -ENXIO; /* mknod's nodes: no named pipes or devices yet */
    if (err == 0 && S_ISREG(node->mode) && (flags & O_TRUNC) && writes &&
        node->size > 0)
        err = tmpfs_resize(sb, node, 0);
    if (err == 0) {
        node->opens++;
        sb->opens++;
        err = tmpfs_file_open(sb, node, flags, out);
        if (err < 0) {
            node->opens--;
            sb->opens--;
        }
    }
    mutex_unlock(&sb->lock);
    return err;
}

static int tmpfs_stat(const struct vfs_fs *fs, const char *path,
                      struct stat *st)
{
    struct tmpfs_sb *sb = sb_of(fs);
    struct tmpfs_inode *node;
    mutex_lock(&sb->lock);
    int err = walk(sb, path, &node);
    if (err == 0)
        tmpfs_fill_stat(sb, node, st);
    mutex_unlock(&sb->lock);
    return err;
}

static int tmpfs_mkdir(const struct vfs_fs *fs, const char *path, uint32_t mode)
{
    struct tmpfs_sb *sb = sb_of(fs);
    struct tmpfs_inode *node;
    mutex_lock(&sb->lock);
    int err = make(sb, path, S_IFDIR | (mode & PERM_BITS), &node);
    mutex_unlock(&sb->lock);
    return err;
}

/* The name path ends in, with its directory: -ENOENT if missing. */
static int find_name(struct tmpfs_sb *sb, const char *path,
                     struct tmpfs_inode **dir, struct tmpfs_dirent **d)
{
    const char *name;
    size_t len;
    int err = walk_parent(sb, path, dir, &name, &len);
    if (err < 0)
        return err;
    if (len == 0)
        return -EBUSY; /* the mount's root; the VFS stops it first */
    *d = find_entry(*dir, name, len);
    return *d ? 0 : -ENOENT;
}

static int tmpfs_unlink(const struct vfs_fs *fs, const char *path)
{
    struct tmpfs_sb *sb = sb_of(fs);
    struct tmpfs_inode *dir;
    struct tmpfs_dirent *d;
    mutex_lock(&sb->lock);
    int err = find_name(sb, path, &dir, &d);
    if (err == 0 && S_ISDIR(d->node->mode))
        err = -EISDIR;
    if (err == 0)
        remove_entry(sb, dir, d, true);
    mutex_unlock(&sb->lock);
    return err;
}

static int tmpfs_rmdir(const struct vfs_fs *fs, const char *path)
{
    struct tmpfs_sb *sb = sb_of(fs);
    struct tmpfs_inode *dir;
    struct tmpfs_dirent *d;
    mutex_lock(&sb->lock);
    int err = find_name(sb, path, &dir, &d);
    if (err == 0 && !S_ISDIR(d->node->mode))
        err = -ENOTDIR;
    if (err == 0 && d->node->entries)
        err = -ENOTEMPTY;
    if (err == 0)
        remove_entry(sb, dir, d, true);
    mutex_unlock(&sb->lock);
    return err;
}

/* True if dir is node or lies below it: a directory moved into itself. */
static bool below(const struct tmpfs_inode *dir, const struct tmpfs_inode *node)
{
    for (; dir; dir = dir->parent) {
        if (dir == node)
            return true;
    }
    return false;
}

/*
 * rename(2) as Linux's: over a file, over an empty directory (a directory
 * only), a no-op between two names of one inode, never a directory into
 * itself.
 */
static int rename_locked(struct tmpfs_sb *sb, const char *from, const char *to)
{
    struct tmpfs_inode *fdir, *tdir;
    struct tmpfs_dirent *fd;
    const char *name;
    size_t len;
    int err = find_name(sb, from, &fdir, &fd);
    if (err < 0)
        return err;
    err = walk_parent(sb, to, &tdir, &name, &len);
    if (err < 0)
        return err;
    if (len == 0)
        return -EBUSY;
    struct tmpfs_inode *node = fd->node;
    bool is_dir = S_ISDIR(node->mode);
    struct tmpfs_dirent *td = find_entry(tdir, name, len);
    if (td && td->node == node)
        return 0;
    if (is_dir && below(tdir, node))
        return -EINVAL;
    if (td && is_dir && !S_ISDIR(td->node->mode))
        return -ENOTDIR;
    if (td && !is_dir && S_ISDIR(td->node->mode))
        return -EISDIR;
    if (td && is_dir && td->node->entries)
        return -ENOTEMPTY;
    err = add_entry(sb, tdir, name, len, node); /* now two names */
    if (err < 0)
        return err;
    if (td)
        remove_entry(sb, tdir, td, true);
    remove_entry(sb, fdir, fd, false); /* back to one: never freed here */
    return 0;
}

static int tmpfs_rename(const struct vfs_fs *fs, const char *from,
                        const char *to)
{
    struct tmpfs_sb *sb = sb_of(fs);
    mutex_lock(&sb->lock);
    int err = rename_locked(sb, from, to);
    mutex_unlock(&sb->lock);
    return err;
}

static int tmpfs_truncate(const struct vfs_fs *fs, const char *path,
                          uint64_t size)
{
    struct tmpfs_sb *sb = sb_of(fs);
    struct tmpfs_inode *node;
    mutex_lock(&sb->lock);
    int err = walk(sb, path, &node);
    if (err == 0 && S_ISDIR(node->mode))
        err = -EISDIR;
    else if (err == 0 && !S_ISREG(node->mode))
        err = -EINVAL;
    if (err == 0)
        err = tmpfs_resize(sb, node, size);
    mutex_unlock(&sb->lock);
    return err;
}

static int tmpfs_statfs(const struct vfs_fs *fs, struct vfs_statfs *out)
{
    struct tmpfs_sb *sb = sb_of(fs);
    mutex_lock(&sb->lock);
    out->total = sb->max_pages * PCACHE_PAGE;
    out->free = (sb->max_pages - sb->cache.pages) * PCACHE_PAGE;
    out->files = sb->max_inodes;
    out->files_free = sb->max_inodes - sb->inodes;
    mutex_unlock(&sb->lock);
    return 0;
}

static int tmpfs_readlink(const struct vfs_fs *fs, const char *path, char *buf,
                          size_t size)
{
    struct tmpfs_sb *sb = sb_of(fs);
    struct tmpfs_inode *node;
    mutex_lock(&sb->lock);
    int err = walk(sb, path, &node);
    if (err == 0 && !S_ISLNK(node->mode))
        err = -EINVAL;
    if (err == 0 && node->size > size)
        err = -ENAMETOOLONG;
    if (err == 0) {
        memcpy(buf, node->link, node->size);
        err = (int)node->size;
    }
    mutex_unlock(&sb->lock);
    return err;
}

static int tmpfs_symlink(const struct vfs_fs *fs, const char *target,
                         const char *path)
{
    struct tmpfs_sb *sb = sb_of(fs);
    struct tmpfs_inode *node;
    size_t len = strlen(target);
    char *text = kmalloc(len + 1);
    if (text == NULL)
        return -ENOMEM;
    memcpy(text, target, len + 1);
    mutex_lock(&sb->lock);
    int err = make(sb, path, S_IFLNK | LINK_MODE, &node);
    if (err == 0) {
        node->link = text;
        node->size = len;
    }
    mutex_unlock(&sb->lock);
    if (err < 0)
        kfree(text);
    return err;
}

static int tmpfs_mknod(const struct vfs_fs *fs, const char *path, uint32_t mode,
                       uint64_t dev)
{
    struct tmpfs_sb *sb = sb_of(fs);
    struct tmpfs_inode *node;
    mutex_lock(&sb->lock);
    int err = make(sb, path, mode, &node);
    if (err == 0 && (S_ISCHR(mode) || S_ISBLK(mode)))
        node->rdev = dev;
    mutex_unlock(&sb->lock);
    return err;
}

static int tmpfs_link(const struct vfs_fs *fs, const char *from, const char *to)
{
    struct tmpfs_sb *sb = sb_of(fs);
    struct tmpfs_inode *node, *dir;
    const char *name;
    size_t len;
    mutex_lock(&sb->lock);
    int err = walk(sb, from, &node);
    if (err == 0 && S_ISDIR(node->mode))
        err = -EPERM;
    if (err == 0)
        err = walk_parent(sb, to, &dir, &name, &len);
    if (err == 0 && (len == 0 || find_entry(dir, name, len)))
        err = -EEXIST;
    if (err == 0 && node->links == 0)
        err = -ENOENT; /* an unlinked, open file: Linux says the same */
    if (err == 0)
        err = add_entry(sb, dir, name, len, node);
    if (err == 0)
        node->ctime = tmpfs_now();
    mutex_unlock(&sb->lock);
    return err;
}

static int tmpfs_chmod(const struct vfs_fs *fs, const char *path, uint32_t mode)
{
    struct tmpfs_sb *sb = sb_of(fs);
    struct tmpfs_inode *node;
    mutex_lock(&sb->lock);
    int err = walk(sb, path, &node);
    if (err == 0) {
        node->mode = (node->mode & S_IFMT) | (mode & PERM_BITS);
        node->ctime = tmpfs_now();
    }
    mutex_unlock(&sb->lock);
    return err;
}

static int tmpfs_chown(const struct vfs_fs *fs, const char *path, uint32_t uid,
                       uint32_t gid)
{
    struct tmpfs_sb *sb = sb_of(fs);
    struct tmpfs_inode *node;
    mutex_lock(&sb->lock);
    int err = walk(sb, path, &node);
    if (err == 0) {
        if (uid != (uint32_t)-1)
            node->uid = uid;
        if (gid != (uint32_t)-1)
            node->gid = gid;
        node->ctime = tmpfs_now();
    }
    mutex_unlock(&sb->lock);
    return err;
}

static int tmpfs_utimens(const struct vfs_fs *fs, const char *path,
                         const struct timespec *atime,
                         const struct timespec *mtime)
{
    struct tmpfs_sb *sb = sb_of(fs);
    struct tmpfs_inode *node;
    mutex_lock(&sb->lock);
    int err = walk(sb, path, &node);
    if (err == 0) {
        node->atime = *atime;
        node->mtime = *mtime;
        node->ctime = tmpfs_now();
    }
    mutex_unlock(&sb->lock);
    return err;
}

/* Frees a whole tree, depth first; nothing of it is open. */
static void free_tree(struct tmpfs_sb *sb, struct tmpfs_inode *dir)
{
    while (dir->entries) {
        struct tmpfs_dirent *d = dir->entries;
        if (S_ISDIR(d->node->mode))
            free_tree(sb, d->node);
        remove_entry(sb, dir, d, true);
    }
}

static int tmpfs_unmount(const struct vfs_fs *fs)
{
    struct tmpfs_sb *sb = sb_of(fs);
    mutex_lock(&sb->lock);
    if (sb->opens > 0) {
        mutex_unlock(&sb->lock);
        return -EBUSY;
    }
    free_tree(sb, sb->root);
    pcache_destroy(&sb->cache);
    kfree(sb->root);
    mutex_unlock(&sb->lock);
    kfree(sb);
    return 0;
}

static int tmpfs_options(const struct vfs_fs *fs, char *buf, size_t size)
{
    const struct tmpfs_sb *sb = sb_of(fs);
    return ksnprintf(buf, size, ",size=%luk,mode=%o",
                     (unsigned long)(sb->max_pages * (PCACHE_PAGE / 1024)),
                     (unsigned)(sb->root->mode & PERM_BITS));
}

static const struct vfs_fs tmpfs_ops = {
    .name = "tmpfs",
    .magic = TMPFS_MAGIC,
    .open = tmpfs_open,
    .stat = tmpfs_stat,
    .mkdir = tmpfs_mkdir,
    .unlink = tmpfs_unlink,
    .rmdir = tmpfs_rmdir,
    .rename = tmpfs_rename,
    .truncate = tmpfs_truncate,
    .statfs = tmpfs_statfs,
    .readlink = tmpfs_readlink,
    .symlink = tmpfs_symlink,
    .link = tmpfs_link,
    .mknod = tmpfs_mknod,
    .chmod = tmpfs_chmod,
    .chown = tmpfs_chown,
    .utimens = tmpfs_utimens,
    .unmount = tmpfs_unmount,
    .options = tmpfs_options,
};

/* ---- making an instance ---- */

static void *page_alloc(void *ctx)
{
    (void)ctx;
    paddr_t frame = pmm_alloc();
    return frame ? hhdm_ptr(frame) : NULL;
}

static void page_free(void *ctx, void *page)
{
    (void)ctx;
    pmm_free((paddr_t)((uintptr_t)page - HHDM_BASE));
}

/* A size option: bytes with k, m or g, or a share of RAM with %. */
static int parse_size(const char *s, size_t n, uint64_t ram_pages,
                      uint64_t *pages)
{
    uint64_t v = 0;
    size_t i = 0;
    for (; i < n && s[i] >= '0' && s[i] <= '9'; i++) {
        if (v > UINT64_MAX / 10 / 1024 / 1024 / 1024)
            return -EINVAL;
        v = v * 10 + (uint64_t)(s[i] - '0');
    }
    if (i == 0 || n - i > 1)
        return -EINVAL;
    char unit = i < n ? s[i] : '\0';
    uint64_t bytes;
    switch (unit) {
    case '\0':
        bytes = v;
        break;
    case 'k':
    case 'K':
        bytes = v * 1024;
        break;
    case 'm':
    case 'M':
        bytes = v * 1024 * 1024;
        break;
    case 'g':
    case 'G':
        bytes = v * 1024 * 1024 * 1024;
        break;
    case '%':
        if (v > PERCENT)
            return -EINVAL;
        *pages = ram_pages * v / PERCENT;
        return 0;
    default:
        return -EINVAL;
    }
    *pages = (bytes + PCACHE_PAGE - 1) / PCACHE_PAGE;
    return 0;
}

static int parse_mode(const char *s, size_t n, uint32_t *mode)
{
    uint32_t v = 0;
    if (n == 0)
        return -EINVAL;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '7' || v > PERM_BITS)
            return -EINVAL;
        v = v * 8 + (uint32_t)(s[i] - '0');
    }
    if (v > PERM_BITS)
        return -EINVAL;
    *mode = v;
    return 0;
}

/*
 * mount's options, comma-separated: size= and mode= are kept; the flags
 * busybox and util-linux pass (rw, nosuid, ...) and uid=/gid= are let by.
 */
static int parse_options(const char *opts, uint64_t ram_pages, uint64_t *pages,
                         uint32_t *mode)
{
    const char *p = opts;
    while (*p) {
        const char *c = p;
        while (*p && *p != ',')
            p++;
        size_t n = (size_t)(p - c);
        if (*p == ',')
            p++;
        int err = 0;
        if (n > 5 && strncmp(c, "size=", 5) == 0)
            err = parse_size(c + 5, n - 5, ram_pages, pages);
        else if (n > 5 && strncmp(c, "mode=", 5) == 0)
            err = parse_mode(c + 5, n - 5, mode);
        if (err < 0)
            return err;
    }
    return *pages ? 0 : -EINVAL; /* size=0 makes a filesystem of nothing */
}

int tmpfs_new(const char *options, const struct vfs_fs **out)
{
    struct pmm_stats pm;
    pmm_get_stats(&pm);
    uint64_t pages = pm.total_frames / 2;
    uint32_t mode = ROOT_MODE;
    int err = parse_options(options, pm.total_frames, &pages, &mode);
    if (err < 0)
        return err;
    struct tmpfs_sb *sb = kmalloc(sizeof *sb);
    if (sb == NULL)
        return -ENOMEM;
    memset(sb, 0, sizeof *sb);
    sb->lock = (struct mutex)MUTEX_INIT("tmpfs");
    sb->fs = tmpfs_ops;
    sb->fs.sb = sb;
    sb->max_pages = pages;
    sb->max_inodes = pm.total_frames / INODE_FACTOR + 1;
    sb->next_ino = 2; /* Linux's tmpfs root is inode 1; start after it */
    sb->next_off = 1;
    sb->dev =
        TMPFS_DEV + __atomic_fetch_add(&tmpfs.instances, 1, __ATOMIC_RELAXED);
    struct pcache_ops ops = {.page_alloc = page_alloc, .page_free = page_free};
    pcache_init(&sb->cache, &ops, pages + 1); /* above it: never reclaims */
    sb->root = inode_new(sb, S_IFDIR | mode);
    if (sb->root == NULL) {
        kfree(sb);
        return -ENOMEM;
    }
    *out = &sb->fs;
    return 0;
}
