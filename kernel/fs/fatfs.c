/*
 * FAT32 behind the VFS: open, read, write, lseek, stat and getdents on the
 * root volume, with Linux's struct stat and struct linux_dirent64.
 *
 * FAT32's API (fs/fat32.h) already speaks Linux: its open flags, seek
 * origins and negative errnos have Linux's values, so most operations are a
 * call under the volume's mutex and nothing more. What FAT has not got is
 * made up here: inode numbers (a hash of the path, vfs_ino()), modes (0755:
 * FAT has no permissions and every file counts as executable; 0555 with
 * the read-only attribute), link counts, and `.` and `..` in the root
 * directory, which FAT does not store.
 *
 * chmod and chown answer as Linux's vfat with its default options: the
 * owner's write bit becomes the read-only attribute of a file (a
 * directory keeps none), bits outside 0777 are -EPERM, and the one owner
 * (uid and gid 0) is the only one chown accepts. link and symlink have no
 * operation here, so the VFS says -EPERM, as vfat does.
 *
 * getdents keeps one entry aside when it does not fit the caller's buffer,
 * so no entry is lost between calls; a directory can only be rewound
 * (lseek to 0), as fat_seek() allows.
 *
 * Long operations go in bounded steps: a read or write FAT_STEP_BYTES per
 * hold of the volume lock, an ftruncate that grows a file FAT_STEP_BYTES of
 * zeros per hold, a close's writeback STORAGE_HOLD_BYTES per hold, the
 * freeing of a long chain FAT_FREE_STEP clusters per hold; between
 * steps other tasks take their turn, and a fatal signal ends the call
 * (issue #16, docs/storage.md).
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
#include "fs/pcache.h"
#include "fs/storage.h"
#include "lib/portable.h"
#include "mm/kheap.h"
#include "mm/pmm.h"
#include "mm/user_copy.h"
#include "sched/wait.h"

#define FATFS_DEV     0x0801 /* makedev(8, 1): "the first disk's partition" */
#define FATFS_MODE    0755
#define FATFS_BLKSIZE 4096
#define STAT_BLOCK    512 /* st_blocks counts 512-byte units */
#define FATFS_FLAGS                                                            \
    (O_ACCMODE | O_CREAT | O_EXCL | O_TRUNC | O_APPEND | O_DIRECTORY)
#define ROOT_DOT_ENTRIES 2      /* "." and "..", made up for the root */
#define FATFS_MAGIC      0x4d44 /* statfs f_type: MSDOS_SUPER_MAGIC */
#define FATFS_WRITE_BITS 0222
#define FATFS_OWNER_W    0200
#define FATFS_PERM_BITS  0777 /* vfat's FAT_VALID_MODE, less the types */
#define FATFS_OWNER_ID   0    /* vfat's uid= and gid= default: root */

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
static int lock_for_change(enum storage_op op)
{
    storage_lock_for(op);
    int err = fat_writable(storage_volume());
    if (err < 0)
        storage_unlock();
    return err;
}

/*
 * After a change: the flusher syncs it, and FAT[1] says "in use". What the
 * change left to free (a long chain) is freed here, in bounded steps.
 */
static void mark_changed(void)
{
    storage_mark_dirty();
    fat_mark_dirty(storage_volume());
    storage_free_pending();
}

static void fill_stat(const char *path, const struct fat_stat *fs,
                      struct stat *st)
{
    memset(st, 0, sizeof *st);
    st->st_dev = FATFS_DEV;
    st->st_ino = vfs_ino(path);
    st->st_nlink = fs->is_dir ? 2 : 1;
    st->st_mode = (fs->is_dir ? S_IFDIR : S_IFREG) | FATFS_MODE;
    if (!fs->is_dir && (fs->attr & FAT_ATTR_READ_ONLY))
        st->st_mode &= ~(uint32_t)FATFS_WRITE_BITS;
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

/*
 * Reads and writes go in steps of FAT_STEP_BYTES, one hold of the lock
 * each (issue #16): whatever the caller asks, no transfer keeps the volume
 * from others for more than one step, and a fatal signal ends it between
 * steps with the bytes done. `at` is NULL for the file's own offset, or
 * the offset of a pread/pwrite, which the file's own offset never sees
 * move (transfer_at()).
 */
static int64_t transfer_at(struct fatfs_file *p, void *rbuf, const void *wbuf,
                           size_t n, int64_t off, int whence);

static int64_t one_step(struct file *f, uint8_t *rbuf, const uint8_t *wbuf,
                        size_t n, const uint64_t *at, uint64_t done)
{
    struct fatfs_file *p = f->priv;
    bool append = f->flags & O_APPEND;
    if (rbuf) {
        storage_lock_for(STORAGE_OP_READ);
    } else {
        int err = lock_for_change(STORAGE_OP_WRITE);
        if (err < 0)
            return err;
    }
    int64_t got;
    if (at && wbuf && append)
        got = transfer_at(p, NULL, wbuf, n, 0, FAT_SEEK_END);
    else if (at)
        got =
            transfer_at(p, rbuf, wbuf, n, (int64_t)(*at + done), FAT_SEEK_SET);
    else if (rbuf)
        got = fat_read(p->ff, rbuf, n);
    else {
        if (append) /* also when F_SETFL added it after open */
            fat_seek(p->ff, 0, FAT_SEEK_END);
        got = fat_write(p->ff, wbuf, n);
    }
    if (wbuf)
        mark_changed();
    storage_unlock();
    return got;
}

/*
 * One step of a transfer: `want` bytes from `done` on. Returns the bytes
 * moved or -errno, and sets *stop when the transfer ends there.
 */
typedef long (*step_fn)(struct file *f, const void *ctx, uint64_t done,
                        size_t want, bool *stop);

/* n bytes in steps of FAT_STEP_BYTES; the bytes done, or the first error. */
static long in_steps(struct file *f, size_t n, step_fn step, const void *ctx)
{
    size_t done = 0;
    long err = 0;
    while (done < n) {
        if (done > 0 && wait_fatal_pending())
            break; /* the caller dies; it returns the bytes done */
        size_t want = n - done < FAT_STEP_BYTES ? n - done : FAT_STEP_BYTES;
        bool stop = false;
        long got = step(f, ctx, done, want, &stop);
        if (got < 0) {
            err = got;
            break;
        }
        done += (size_t)got;
        if (got == 0 || stop)
            break;
    }
    return done > 0 ? (long)done : err;
}

/* A transfer to or from a kernel buffer: rbuf or wbuf, at NULL or *at. */
struct kbuf_io {
    uint8_t *rbuf;
    const uint8_t *wbuf;
    const uint64_t *at;
};

static long kbuf_step(struct file *f, const void *ctx, uint64_t done,
                      size_t want, bool *stop)
{
    const struct kbuf_io *io = ctx;
    int64_t got =
        one_step(f, io->rbuf ? io->rbuf + done : NULL,
                 io->wbuf ? io->wbuf + done : NULL, want, io->at, done);
    *stop = got >= 0 && (size_t)got < want; /* a short transfer ends it */
    return (long)got;
}

static long stepwise(struct file *f, void *rbuf, const void *wbuf, size_t n,
                     const uint64_t *at)
{
    struct kbuf_io io = {rbuf, wbuf, at};
    return in_steps(f, n, kbuf_step, &io);
}

static long fatfs_read(struct file *f, void *buf, size_t n)
{
    struct fatfs_file *p = f->priv;
    if (p->is_dir)
        return -EISDIR;
    return stepwise(f, buf, NULL, n, NULL);
}

static long fatfs_write(struct file *f, const void *buf, size_t n)
{
    return stepwise(f, NULL, buf, n, NULL);
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
    if (off > INT64_MAX || n > INT64_MAX - off)
        return -EINVAL;
    return stepwise(f, buf, NULL, n, &off);
}

static long fatfs_pwrite(struct file *f, const void *buf, size_t n,
                         uint64_t off)
{
    if (off > INT64_MAX || n > INT64_MAX - off)
        return -EINVAL;
    return stepwise(f, NULL, buf, n, &off);
}

/*
 * read and pread straight into the program (file_ops.read_user): one copy,
 * from the page cache to user memory, with no lock held across it. Each
 * step pins, under the volume lock, the cached pages that hold its bytes
 * (fat_read_spans(), then storage_share_page() on each: one more owner of
 * the frame, which reclaim and drop_caches respect), moves the offset,
 * unlocks, copies each page out and lets it go (pmm_free() drops the pin;
 * a page the cache forgot meanwhile, by a truncate, is freed only then).
 * A write racing with the copy may be seen in part, as on Linux. A step
 * whose first page cannot be cached (no memory, a bad sector) goes through
 * fat_read() and a kernel buffer, which reads around the cache and returns
 * the bytes before the bad sector, or -EIO.
 */
#define READ_SPANS (FAT_STEP_BYTES / PCACHE_PAGE + 1) /* + 1: unaligned */

/* One step through a kernel buffer: one_step(), then the copy out. */
static long copied_step(struct file *f, uint64_t u, size_t want,
                        const uint64_t *at, uint64_t done)
{
    uint8_t *buf = kmalloc(want);
    if (buf == NULL)
        return -ENOMEM;
    int64_t got = one_step(f, buf, NULL, want, at, done);
    if (got > 0 && user_copy_out(u, buf, (size_t)got) < 0)
        got = -EFAULT; /* the offset has moved, as a fault mid-copy leaves it */
    kfree(buf);
    return (long)got;
}

/*
 * One step: the bytes copied (fewer than want when the spans ended at a
 * page that was not cached, which the next step reads; 0 at the end of
 * the file) or -errno. *stop: a fault ended the copy.
 */
static long pinned_step(struct file *f, uint64_t u, size_t want,
                        const uint64_t *at, uint64_t done, bool *stop)
{
    struct fatfs_file *p = f->priv;
    struct fat_span spans[READ_SPANS];
    paddr_t frames[READ_SPANS];
    unsigned count;
    storage_lock_for(STORAGE_OP_READ);
    uint64_t pos = at ? *at + done : (uint64_t)fat_seek(p->ff, 0, FAT_SEEK_CUR);
    int64_t got = fat_read_spans(p->ff, pos, want, spans, READ_SPANS, &count);
    for (unsigned i = 0; i < count; i++)
        frames[i] = storage_share_page(spans[i].data);
    if (got > 0 && at == NULL)
        fat_seek(p->ff, (int64_t)(pos + (uint64_t)got), FAT_SEEK_SET);
    storage_unlock();
    if (got == -EIO) {
        long n = copied_step(f, u, want, at, done);
        *stop = n < (long)want; /* the bytes before a bad sector */
        return n;
    }
    size_t copied = 0;
    bool fault = false;
    for (unsigned i = 0; i < count; i++) {
        const uint8_t *src = (const uint8_t *)spans[i].data + spans[i].off;
        if (!fault && user_copy_out(u + copied, src, spans[i].len) < 0)
            fault = true;
        if (!fault)
            copied += spans[i].len;
        pmm_free(frames[i]);
    }
    if (fault && at == NULL) { /* the offset counts only what was copied */
        storage_lock_for(STORAGE_OP_READ);
        fat_seek(p->ff, (int64_t)(pos + copied), FAT_SEEK_SET);
        storage_unlock();
    }
    *stop = fault;
    if (got <= 0)
        return (long)got;
    return fault && copied == 0 ? -EFAULT : (long)copied;
}

/* A read into user memory: u_buf, at NULL or *at. */
struct user_io {
    uint64_t u_buf;
    const uint64_t *at;
};

static long user_step(struct file *f, const void *ctx, uint64_t done,
                      size_t want, bool *stop)
{
    const struct user_io *io = ctx;
    return pinned_step(f, io->u_buf + done, want, io->at, done, stop);
}

static long fatfs_read_user(struct file *f, uint64_t u_buf, size_t n,
                            const uint64_t *at)
{
    struct fatfs_file *p = f->priv;
    if (p->is_dir)
        return -EISDIR;
    if (at && (*at > INT64_MAX || n > INT64_MAX - *at))
        return -EINVAL;
    struct user_io io = {u_buf, at};
    return in_steps(f, n, user_step, &io);
}

static int fatfs_page(struct file *f, uint64_t index, uint64_t *frame)
{
    struct fatfs_file *p = f->priv;
    void *data;
    storage_lock_for(STORAGE_OP_PAGE);
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
    int err = lock_for_change(STORAGE_OP_PAGE);
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

/*
 * ftruncate: shrinking is one step (it frees clusters, moving no data);
 * growing zero-fills FAT_STEP_BYTES per hold of the lock, and the size on
 * disk grows with each step, so the file is consistent (and fsck.fat
 * clean) after any of them. A fatal signal ends it between steps with
 * -EINTR, the file as long as the steps made it.
 */
static int fatfs_ftruncate(struct file *f, uint64_t size)
{
    struct fatfs_file *p = f->priv;
    if (p->is_dir)
        return -EISDIR;
    if (size > 0xffffffffull)
        return -EFBIG; /* FAT32 sizes are 32 bits */
    for (bool first = true;; first = false) {
        if (!first && wait_fatal_pending())
            return -EINTR;
        int err = lock_for_change(STORAGE_OP_TRUNCATE);
        if (err < 0)
            return err;
        struct fat_stat st;
        uint64_t to = size;
        err = fat_fstat(p->ff, &st);
        if (err == 0 && size > (uint64_t)st.size + FAT_STEP_BYTES)
            to = (uint64_t)st.size + FAT_STEP_BYTES;
        if (err == 0)
            err = fat_ftruncate(p->ff, to);
        mark_changed();
        storage_unlock();
        if (err < 0 || to == size)
            return err;
    }
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
    if (fat_release(p->ff)) {
        storage_mark_dirty(); /* an unlinked file's clusters were freed */
        storage_free_pending();
    }
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
    .read_user = fatfs_read_user,
};

/* ---- paths ---- */

static int fatfs_open(const struct vfs_fs *fs, const char *path, int flags,
                      uint32_t mode, struct file **out)
{
    (void)fs;
    (void)mode; /* no permission bits to keep */
    size_t len = strlen(path) + 1;
    struct fatfs_file *p = kmalloc(sizeof *p + len);
    struct fat_stat fst;
    if (p == NULL)
        return -ENOMEM;
    memset(p, 0, sizeof *p);
    memcpy(p->path, path, len);
    bool changes = flags & (O_CREAT | O_TRUNC | O_ACCMODE);
    int err = 0;
    if (changes && (err = lock_for_change(STORAGE_OP_OTHER)) < 0) {
        kfree(p);
        return err;
    }
    if (!changes)
        storage_lock();
    err = fat_open(storage_volume(), path, flags & FATFS_FLAGS, &p->ff);
    if (err == 0)
        err = fat_fstat(p->ff, &fst);
    if (err == 0 && changes)
        mark_changed();
    if (err < 0 && p->ff)
        fat_close(p->ff);
    storage_unlock();
    if (err < 0) {
        kfree(p);
        return err;
    }
    p->is_dir = fst.is_dir;
    *out = file_new(&fatfs_file_ops, flags, p);
    if (*out == NULL) {
        close_file(p);
        return -ENOMEM;
    }
    return 0;
}

static int fatfs_stat(const struct vfs_fs *fs, const char *path,
                      struct stat *st)
{
    (void)fs;
    struct fat_stat fst;
    storage_lock();
    learn_cluster_size();
    int err = fat_stat(storage_volume(), path, &fst);
    storage_unlock();
    if (err == 0)
        fill_stat(path, &fst, st);
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

static int fatfs_mkdir(const struct vfs_fs *fs, const char *path, uint32_t mode)
{
    (void)fs;
    (void)mode;
    int err = lock_for_change(STORAGE_OP_OTHER);
    return err < 0 ? err : changed(fat_mkdir(storage_volume(), path));
}

static int fatfs_unlink(const struct vfs_fs *fs, const char *path)
{
    (void)fs;
    int err = lock_for_change(STORAGE_OP_OTHER);
    return err < 0 ? err : changed(fat_unlink(storage_volume(), path));
}

static int fatfs_rmdir(const struct vfs_fs *fs, const char *path)
{
    (void)fs;
    int err = lock_for_change(STORAGE_OP_OTHER);
    return err < 0 ? err : changed(fat_rmdir(storage_volume(), path));
}

static int fatfs_rename(const struct vfs_fs *fs, const char *from,
                        const char *to)
{
    (void)fs;
    int err = lock_for_change(STORAGE_OP_OTHER);
    return err < 0 ? err : changed(fat_rename(storage_volume(), from, to));
}

/* truncate by path: through an open file, in ftruncate's bounded steps. */
static int fatfs_truncate(const struct vfs_fs *fs, const char *path,
                          uint64_t size)
{
    struct file *f;
    int err = fatfs_open(fs, path, O_WRONLY, 0, &f);
    if (err < 0)
        return err;
    err = fatfs_ftruncate(f, size);
    file_put(f);
    return err;
}

/* A clean unmount's bit, at power-off and reboot (fat32_guard.c). */
static int fatfs_clean(const struct vfs_fs *fs)
{
    (void)fs;
    int err = storage_sync(); /* counted and reported as every sync */
    if (err < 0)
        return err;
    storage_lock();
    err = fat_mark_clean(storage_volume());
    storage_unlock();
    return err;
}

static int fatfs_statfs(const struct vfs_fs *fs, struct vfs_statfs *out)
{
    (void)fs;
    struct fat_statfs sfs;
    storage_lock();
    int err = fat_statfs(storage_volume(), &sfs);
    storage_unlock();
    if (err == 0) {
        out->total = (uint64_t)sfs.total_clusters * sfs.cluster_size;
        out->free = (uint64_t)sfs.free_clusters * sfs.cluster_size;
    }
    return err;
}

static int fatfs_chmod(const struct vfs_fs *fs, const char *path, uint32_t mode)
{
    (void)fs;
    if (mode & ~(uint32_t)FATFS_PERM_BITS)
        return -EPERM; /* setuid, setgid, sticky: vfat cannot keep them */
    struct fat_stat fst;
    int err = lock_for_change(STORAGE_OP_OTHER);
    if (err < 0)
        return err;
    err = fat_stat(storage_volume(), path, &fst);
    if (err == 0 && !fst.is_dir) /* a directory's bits are let by */
        err = changed(
            fat_set_read_only(storage_volume(), path, !(mode & FATFS_OWNER_W)));
    else
        storage_unlock();
    return err;
}

static int fatfs_chown(const struct vfs_fs *fs, const char *path, uint32_t uid,
                       uint32_t gid)
{
    struct stat st;
    int err = fatfs_stat(fs, path, &st);
    if (err < 0)
        return err;
    bool uid_ok = uid == (uint32_t)-1 || uid == FATFS_OWNER_ID;
    bool gid_ok = gid == (uint32_t)-1 || gid == FATFS_OWNER_ID;
    return uid_ok && gid_ok ? 0 : -EPERM;
}

static int fatfs_sync(const struct vfs_fs *fs)
{
    (void)fs;
    return storage_sync();
}

const struct vfs_fs fatfs_fs = {
    .name = "vfat",
    .magic = FATFS_MAGIC,
    .open = fatfs_open,
    .stat = fatfs_stat,
    .mkdir = fatfs_mkdir,
    .unlink = fatfs_unlink,
    .rmdir = fatfs_rmdir,
    .rename = fatfs_rename,
    .truncate = fatfs_truncate,
    .statfs = fatfs_statfs,
    .sync = fatfs_sync,
    .chmod = fatfs_chmod,
    .chown = fatfs_chown,
    .clean = fatfs_clean,
};
