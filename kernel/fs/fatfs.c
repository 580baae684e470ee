/*
 * FAT32 behind the VFS: open, read, write, lseek, stat and getdents on the
 * root volume, with Linux's struct stat and struct linux_dirent64.
 *
 * FAT32's API (fs/fat32.h) already speaks Linux: its open flags, seek
 * origins and negative errnos have Linux's values, so most operations are a
 * call under the volume's mutex and nothing more. What FAT has not got is
 * made up here: inode numbers (a hash of the path, vfs_ino()), modes (0755:
 * FAT has no permissions and every file counts as executable), link counts,
 * and `.` and `..` in the root directory, which FAT does not store.
 *
 * getdents keeps one entry aside when it does not fit the caller's buffer,
 * so no entry is lost between calls; a directory can only be rewound
 * (lseek to 0), as fat_seek() allows.
 *
 * Locking: every fat_* call holds storage_lock(), and only around kernel
 * buffers. A change marks the volume dirty for the flusher, and clears
 * FAT[1]'s clean bit; once a failed write made the volume read-only, a
 * change is refused with -EROFS before it starts (docs/storage.md).
 * Context: task.
 * See: docs/storage.md
 */
#include "fs/fatfs.h"

#include <ember/dirent.h>
#include <ember/errno.h>
#include <ember/fcntl.h>
#include <ember/stat.h>

#include "fs/fat32.h"
#include "fs/dirent.h"
#include "fs/file.h"
#include "fs/storage.h"
#include "lib/portable.h"
#include "mm/kheap.h"

#define FATFS_DEV     0x0801 /* makedev(8, 1): "the first disk's partition" */
#define FATFS_MODE    0755
#define FATFS_BLKSIZE 4096
#define STAT_BLOCK    512 /* st_blocks counts 512-byte units */
#define FATFS_FLAGS                                                            \
    (O_ACCMODE | O_CREAT | O_EXCL | O_TRUNC | O_APPEND | O_DIRECTORY)
#define ROOT_DOT_ENTRIES 2 /* "." and "..", made up for the root */

struct fatfs_file {
    struct fat_file *ff;
    bool is_dir;
    /* Directories: the next record's number, and an entry kept aside. */
    uint64_t emitted;
    bool has_pending;
    struct fat_dirent pending;
    char path[]; /* below the mount point, for st_ino; any length */
};

static uint32_t cluster_bytes; /* set under the lock at the first stat */

/*
 * The lock, for a change: -EROFS (and no lock) once a failed write made the
 * volume read-only (fat32_guard.c).
 */
static int lock_for_change(void)
{
    storage_lock();
    int err = fat_writable(storage_volume());
    if (err < 0)
        storage_unlock();
    return err;
}

/* After a change: the flusher syncs it, and FAT[1] says "in use". */
static void mark_changed(void)
{
    storage_mark_dirty();
    fat_mark_dirty(storage_volume());
}

static void fill_stat(const char *path, const struct fat_stat *fs,
                      struct stat *st)
{
    memset(st, 0, sizeof *st);
    st->st_dev = FATFS_DEV;
    st->st_ino = vfs_ino(path);
    st->st_nlink = fs->is_dir ? 2 : 1;
    st->st_mode = (fs->is_dir ? S_IFDIR : S_IFREG) | FATFS_MODE;
    st->st_size = fs->size;
    st->st_blksize = FATFS_BLKSIZE;
    uint64_t c = cluster_bytes ? cluster_bytes : FATFS_BLKSIZE;
    st->st_blocks =
        (int64_t)(((uint64_t)fs->size + c - 1) / c * c / STAT_BLOCK);
    int64_t t = fs->mtime.year ? fat_clock_to_unix(&fs->mtime) : 0;
    st->st_mtim.tv_sec = t;
    st->st_atim.tv_sec = t; /* FAT keeps no access time */
    st->st_ctim.tv_sec = t; /* nor a status-change time */
}

static void learn_cluster_size(void)
{
    struct fat_statfs sfs;
    if (cluster_bytes == 0) {
        fat_statfs_now(storage_volume(), &sfs); /* no free-space count */
        cluster_bytes = sfs.cluster_size;
    }
}

/* ---- files ---- */

static long fatfs_read(struct file *f, void *buf, size_t n)
{
    struct fatfs_file *p = f->priv;
    if (p->is_dir)
        return -EISDIR;
    storage_lock();
    int64_t got = fat_read(p->ff, buf, n);
    storage_unlock();
    return got;
}

static long fatfs_write(struct file *f, const void *buf, size_t n)
{
    struct fatfs_file *p = f->priv;
    int err = lock_for_change();
    if (err < 0)
        return err;
    if (f->flags & O_APPEND) /* also when F_SETFL added it after open */
        fat_seek(p->ff, 0, FAT_SEEK_END);
    int64_t got = fat_write(p->ff, buf, n);
    mark_changed();
    storage_unlock();
    return got;
}

/*
 * pread and pwrite: seek, transfer and put the file's own offset back, all
 * under the volume lock, so a process sharing the file (after fork) never
 * sees its offset move. Called with the lock held.
 */
static int64_t transfer_at(struct fatfs_file *p, void *rbuf, const void *wbuf,
                           size_t n, int64_t off, int whence)
{
    int64_t saved = fat_seek(p->ff, 0, FAT_SEEK_CUR);
    if (saved < 0)
        return saved;
    int64_t got = fat_seek(p->ff, off, whence);
    if (got >= 0)
        got = rbuf ? fat_read(p->ff, rbuf, n) : fat_write(p->ff, wbuf, n);
    fat_seek(p->ff, saved, FAT_SEEK_SET);
    return got;
}

static long fatfs_pread(struct file *f, void *buf, size_t n, uint64_t off)
{
    struct fatfs_file *p = f->priv;
    if (p->is_dir)
        return -EISDIR;
    if (off > INT64_MAX)
        return -EINVAL;
    storage_lock();
    int64_t got = transfer_at(p, buf, NULL, n, (int64_t)off, FAT_SEEK_SET);
    storage_unlock();
    return got;
}

static long fatfs_pwrite(struct file *f, const void *buf, size_t n,
                         uint64_t off)
{
    struct fatfs_file *p = f->priv;
    if (off > INT64_MAX)
        return -EINVAL;
    bool append = f->flags & O_APPEND;
    int err = lock_for_change();
    if (err < 0)
        return err;
    int64_t got = transfer_at(p, NULL, buf, n, append ? 0 : (int64_t)off,
                              append ? FAT_SEEK_END : FAT_SEEK_SET);
    mark_changed();
    storage_unlock();
    return got;
}

static int fatfs_page(struct file *f, uint64_t index, uint64_t *frame)
{
    struct fatfs_file *p = f->priv;
    void *data;
    storage_lock();
    int err = fat_page(p->ff, index, &data);
    if (err == 0)
        *frame = storage_share_page(data);
    storage_unlock();
    return err;
}

static int fatfs_page_writable(struct file *f, uint64_t index, uint64_t *frame)
{
    struct fatfs_file *p = f->priv;
    void *data;
    int err = lock_for_change();
    if (err < 0)
        return err;
    err = fat_page_writable(p->ff, index, &data);
    if (err == 0) {
        *frame = storage_share_page(data);
        storage_mark_dirty();
    }
    storage_unlock();
    return err;
}

static int fatfs_ftruncate(struct file *f, uint64_t size)
{
    struct fatfs_file *p = f->priv;
    if (p->is_dir)
        return -EISDIR;
    if (size > 0xffffffffull)
        return -EFBIG; /* FAT32 sizes are 32 bits */
    int err = lock_for_change();
    if (err < 0)
        return err;
    err = fat_ftruncate(p->ff, size);
    mark_changed();
    storage_unlock();
    return err;
}

static int64_t fatfs_lseek(struct file *f, int64_t off, int whence)
{
    struct fatfs_file *p = f->priv;
    storage_lock();
    int64_t r = fat_seek(p->ff, off, whence);
    if (r == 0 && p->is_dir) {
        p->emitted = 0;
        p->has_pending = false;
    }
    storage_unlock();
    return r;
}

static int fatfs_fstat(struct file *f, struct stat *st)
{
    struct fatfs_file *p = f->priv;
    struct fat_stat fs;
    storage_lock();
    learn_cluster_size();
    int err = fat_fstat(p->ff, &fs);
    storage_unlock();
    if (err == 0)
        fill_stat(p->path, &fs, st);
    return err;
}

/* The next entry into p->pending: 1, 0 at the end, or the error. */
static int next_entry(struct fatfs_file *p)
{
    if (p->has_pending)
        return 1;
    if (strcmp(p->path, "/") == 0 && p->emitted < ROOT_DOT_ENTRIES) {
        memset(&p->pending, 0, sizeof p->pending);
        memcpy(p->pending.name, "..", p->emitted == 0 ? 1 : 2);
        p->pending.is_dir = true;
        p->has_pending = true;
        return 1;
    }
    storage_lock();
    int r = fat_readdir(p->ff, &p->pending);
    storage_unlock();
    p->has_pending = r > 0;
    return r;
}

/* Packs p->pending into buf as one record; 0 if it does not fit. */
static size_t pack(struct fatfs_file *p, uint8_t *buf, size_t room)
{
    size_t len = dirent_put(
        buf, room, p->pending.name, p->pending.is_dir ? DT_DIR : DT_REG,
        vfs_ino_child(p->path, p->pending.name), (int64_t)p->emitted + 1);
    if (len) {
        p->emitted++;
        p->has_pending = false;
    }
    return len;
}

static long fatfs_getdents(struct file *f, void *buf, size_t n)
{
    struct fatfs_file *p = f->priv;
    size_t used = 0;

    if (!p->is_dir)
        return -ENOTDIR;
    for (;;) {
        int r = next_entry(p);
        if (r < 0)
            return used ? (long)used : r;
        if (r == 0)
            break;
        size_t len = pack(p, (uint8_t *)buf + used, n - used);
        if (len == 0) {
            if (used == 0)
                return -EINVAL; /* too small for the next record */
            break;
        }
        used += len;
    }
    return (long)used;
}

/*
 * A close writes nothing: what the handle changed is already marked for the
 * flusher (mark_changed()), which writes it back within STORAGE_FLUSH_MS,
 * as Linux leaves a closed file's pages to its own flusher. Syncing here
 * made every close of every handle wait for the disk: a CACHE FLUSH
 * command for each exec's close, and a 16 MiB cp waiting for its whole
 * copy to reach the disk. fsync, sync and power-off still write at once.
 */
static void close_file(struct fatfs_file *p)
{
    storage_lock();
    if (fat_release(p->ff))
        storage_mark_dirty(); /* an unlinked file's clusters were freed */
    storage_unlock();
    kfree(p);
}

static void fatfs_release(struct file *f)
{
    close_file(f->priv);
}

static const struct file_ops fatfs_file_ops = {
    .read = fatfs_read,
    .write = fatfs_write,
    .pread = fatfs_pread,
    .pwrite = fatfs_pwrite,
    .lseek = fatfs_lseek,
    .stat = fatfs_fstat,
    .getdents = fatfs_getdents,
    .truncate = fatfs_ftruncate,
    .release = fatfs_release,
    .page = fatfs_page,
    .page_writable = fatfs_page_writable,
};

/* ---- paths ---- */

static int fatfs_open(const char *path, int flags, struct file **out)
{
    size_t len = strlen(path) + 1;
    struct fatfs_file *p = kmalloc(sizeof *p + len);
    struct fat_stat fs;
    if (p == NULL)
        return -ENOMEM;
    memset(p, 0, sizeof *p);
    memcpy(p->path, path, len);
    bool changes = flags & (O_CREAT | O_TRUNC | O_ACCMODE);
    int err = 0;
    if (changes && (err = lock_for_change()) < 0) {
        kfree(p);
        return err;
    }
    if (!changes)
        storage_lock();
    err = fat_open(storage_volume(), path, flags & FATFS_FLAGS, &p->ff);
    if (err == 0)
        err = fat_fstat(p->ff, &fs);
    if (err == 0 && changes)
        mark_changed();
    if (err < 0 && p->ff)
        fat_close(p->ff);
    storage_unlock();
    if (err < 0) {
        kfree(p);
        return err;
    }
    p->is_dir = fs.is_dir;
    *out = file_new(&fatfs_file_ops, flags, p);
    if (*out == NULL) {
        close_file(p);
        return -ENOMEM;
    }
    return 0;
}

static int fatfs_stat(const char *path, struct stat *st)
{
    struct fat_stat fs;
    storage_lock();
    learn_cluster_size();
    int err = fat_stat(storage_volume(), path, &fs);
    storage_unlock();
    if (err == 0)
        fill_stat(path, &fs, st);
    return err;
}

/* One change to the tree, under the lock, marked for the flusher. */
static int changed(int err)
{
    if (err == 0)
        mark_changed();
    storage_unlock();
    return err;
}

static int fatfs_mkdir(const char *path)
{
    int err = lock_for_change();
    return err < 0 ? err : changed(fat_mkdir(storage_volume(), path));
}

static int fatfs_unlink(const char *path)
{
    int err = lock_for_change();
    return err < 0 ? err : changed(fat_unlink(storage_volume(), path));
}

static int fatfs_rmdir(const char *path)
{
    int err = lock_for_change();
    return err < 0 ? err : changed(fat_rmdir(storage_volume(), path));
}

static int fatfs_rename(const char *from, const char *to)
{
    int err = lock_for_change();
    return err < 0 ? err : changed(fat_rename(storage_volume(), from, to));
}

static int fatfs_truncate(const char *path, uint64_t size)
{
    int err = lock_for_change();
    return err < 0 ? err : changed(fat_truncate(storage_volume(), path, size));
}

/* A clean unmount's bit, at power-off and reboot (fat32_guard.c). */
static int fatfs_clean(void)
{
    int err = storage_sync(); /* counted and reported as every sync */
    if (err < 0)
        return err;
    storage_lock();
    err = fat_mark_clean(storage_volume());
    storage_unlock();
    return err;
}

static int fatfs_statfs(uint64_t *total, uint64_t *free)
{
    struct fat_statfs fs;
    storage_lock();
    int err = fat_statfs(storage_volume(), &fs);
    storage_unlock();
    if (err == 0) {
        *total = (uint64_t)fs.total_clusters * fs.cluster_size;
        *free = (uint64_t)fs.free_clusters * fs.cluster_size;
    }
    return err;
}

const struct vfs_fs fatfs_fs = {
    .name = "fat32",
    .open = fatfs_open,
    .stat = fatfs_stat,
    .mkdir = fatfs_mkdir,
    .unlink = fatfs_unlink,
    .rmdir = fatfs_rmdir,
    .rename = fatfs_rename,
    .truncate = fatfs_truncate,
    .statfs = fatfs_statfs,
    .sync = storage_sync,
    .clean = fatfs_clean,
};
