/*
 * /dev: null, zero, console and tty, a fixed table of device files with
 * no disk behind them. console and tty are both the terminal (fs/tty.h).
 *
 * Each entry names its open function and its Linux device number, so
 * programs that check st_rdev (and `ls -l /dev`) see what they would on
 * Linux. The directory itself is read-only: creating, removing or renaming
 * anything here is -EROFS, as the VFS does for a missing operation.
 *
 * Locking: the table is constant; the devices keep no state.
 * Context: task.
 * See: docs/storage.md
 */
#include "fs/devfs.h"

#include <ember/dirent.h>
#include <ember/errno.h>
#include <ember/fcntl.h>
#include <ember/stat.h>

#include "fs/dirent.h"
#include "fs/file.h"
#include "fs/tty.h"
#include "lib/portable.h"

#define DEVFS_DEV      0x0006 /* any number no other filesystem uses */
#define DEVFS_DIR_MODE 0755
#define DEVFS_DEV_MODE 0666
#define DEVFS_MAGIC    0x01021994 /* devtmpfs reports TMPFS_MAGIC */
#define MAKEDEV(maj, mi)                                                       \
    (((uint64_t)(maj) << 8) | (mi)) /* Linux's old form                        \
                                     */

/* ---- null and zero ---- */

static long null_read(struct file *f, void *buf, size_t n)
{
    (void)f;
    (void)buf;
    (void)n;
    return 0;
}

static long zero_read(struct file *f, void *buf, size_t n)
{
    (void)f;
    memset(buf, 0, n);
    return (long)n;
}

static long sink_write(struct file *f, const void *buf, size_t n)
{
    (void)f;
    (void)buf;
    return (long)n;
}

/* Null and zero have no position: the offset changes nothing. */
static long null_pread(struct file *f, void *buf, size_t n, uint64_t off)
{
    (void)off;
    return null_read(f, buf, n);
}

static long zero_pread(struct file *f, void *buf, size_t n, uint64_t off)
{
    (void)off;
    return zero_read(f, buf, n);
}

static long sink_pwrite(struct file *f, const void *buf, size_t n, uint64_t off)
{
    (void)off;
    return sink_write(f, buf, n);
}

static int64_t stay_at_zero(struct file *f, int64_t off, int whence)
{
    (void)f;
    (void)off;
    (void)whence;
    return 0; /* Linux's null and zero ignore seeks */
}

static int dev_stat(struct file *f, struct stat *st);

static const struct file_ops null_ops = {
    .read = null_read,
    .write = sink_write,
    .pread = null_pread,
    .pwrite = sink_pwrite,
    .lseek = stay_at_zero,
    .stat = dev_stat,
};

static const struct file_ops zero_ops = {
    .read = zero_read,
    .write = sink_write,
    .pread = zero_pread,
    .pwrite = sink_pwrite,
    .lseek = stay_at_zero,
    .stat = dev_stat,
};

static int open_with(const struct file_ops *ops, int flags, void *priv,
                     struct file **out)
{
    *out = file_new(ops, flags, priv);
    return *out ? 0 : -ENOMEM;
}

struct devfs_node;
static int open_plain(const struct devfs_node *n, int flags, struct file **out);

static int open_tty(const struct devfs_node *n, int flags, struct file **out);

/* The device files, in listing order. */
static const struct devfs_node {
    const char *name;
    int (*open)(const struct devfs_node *n, int flags, struct file **out);
    const struct file_ops *ops;
    uint64_t rdev;
} nodes[] = {
    {"null", open_plain, &null_ops, MAKEDEV(1, 3)},
    {"zero", open_plain, &zero_ops, MAKEDEV(1, 5)},
    {"console", open_tty, NULL, MAKEDEV(5, 1)},
    {"tty", open_tty, NULL, MAKEDEV(5, 0)},
};

#define NODES (sizeof nodes / sizeof nodes[0])

static int open_plain(const struct devfs_node *n, int flags, struct file **out)
{
    return open_with(n->ops, flags, (void *)n, out);
}

static int open_tty(const struct devfs_node *n, int flags, struct file **out)
{
    return tty_open(flags, n->rdev, out);
}

static void node_stat(const struct devfs_node *n, struct stat *st)
{
    memset(st, 0, sizeof *st);
    st->st_dev = DEVFS_DEV;
    st->st_nlink = n ? 1 : 2;
    st->st_mode = n ? (S_IFCHR | DEVFS_DEV_MODE) : (S_IFDIR | DEVFS_DIR_MODE);
    st->st_rdev = n ? n->rdev : 0;
    st->st_blksize = 4096;
    st->st_ino = n ? vfs_ino_child("/", n->name) : vfs_ino("/");
}

static int dev_stat(struct file *f, struct stat *st)
{
    node_stat(f->priv, st);
    return 0;
}

/* ---- the directory ---- */

static void dev_entry(const void *dir, unsigned i, char *name, size_t cap,
                      uint8_t *type)
{
    (void)dir;
    const char *s = i == 0 ? "." : i == 1 ? ".." : nodes[i - 2].name;
    size_t len = strnlen(s, cap - 1);
    memcpy(name, s, len);
    name[len] = '\0';
    *type = i < 2 ? DT_DIR : DT_CHR;
}

/* f->priv counts the records already returned. */
static long dir_getdents(struct file *f, void *buf, size_t n)
{
    unsigned next = (unsigned)(uintptr_t)f->priv;
    long r = dirent_fill(buf, n, NULL, NODES + 2, &next, dev_entry);
    f->priv = (void *)(uintptr_t)next;
    return r;
}

static int64_t dir_lseek(struct file *f, int64_t off, int whence)
{
    int err = dirent_check_rewind(off, whence);
    if (err == 0)
        f->priv = NULL;
    return err;
}

static int dir_stat(struct file *f, struct stat *st)
{
    (void)f;
    node_stat(NULL, st);
    return 0;
}

static const struct file_ops dir_ops = {
    .read = dirent_read_dir,
    .lseek = dir_lseek,
    .stat = dir_stat,
    .getdents = dir_getdents,
};

/* ---- paths ---- */

static const struct devfs_node *find(const char *path)
{
    for (size_t i = 0; i < NODES; i++) {
        if (strcmp(path + 1, nodes[i].name) == 0)
            return &nodes[i];
    }
    return NULL;
}

static int devfs_open(const struct vfs_fs *fs, const char *path, int flags,
                      uint32_t mode, struct file **out)
{
    (void)fs;
    (void)mode; /* no permission bits to keep */
    if (strcmp(path, "/") == 0) {
        if ((flags & O_ACCMODE) != O_RDONLY)
            return -EISDIR;
        return open_with(&dir_ops, flags, NULL, out);
    }
    const struct devfs_node *n = find(path);
    if (n == NULL)
        return (flags & O_CREAT) ? -EROFS : -ENOENT;
    if (flags & O_DIRECTORY)
        return -ENOTDIR;
    if ((flags & O_CREAT) && (flags & O_EXCL))
        return -EEXIST;
    return n->open(n, flags & ~(O_CREAT | O_EXCL | O_TRUNC), out);
}

static int devfs_stat(const struct vfs_fs *fs, const char *path,
                      struct stat *st)
{
    (void)fs;
    if (strcmp(path, "/") == 0) {
        node_stat(NULL, st);
        return 0;
    }
    const struct devfs_node *n = find(path);
    if (n == NULL)
        return -ENOENT;
    node_stat(n, st);
    return 0;
}

const struct vfs_fs devfs_fs = {
    .name = "devtmpfs",
    .magic = DEVFS_MAGIC,
    .open = devfs_open,
    .stat = devfs_stat,
};
