/*
 * tmpfs's open files: reading and writing pages of memory, listing a
 * directory, and handing pages to mmap and exec.
 *
 * A file's data is its pages in the instance's page cache, keyed by the
 * inode number; a page that was never written is a hole, read as zeros
 * and not counted against the size limit. A write takes new pages only
 * while the instance is under its size (else -ENOSPC, after the bytes
 * that fitted) and while the frame allocator has frames. A page handed
 * to mmap gets one more owner (pmm_share()), so a mapping keeps its
 * frame even after the file is truncated or removed.
 *
 * A directory is listed by each entry's `off`, which only grows, so a
 * listing goes on at the right place after names were removed in
 * between (as `rm -r` does while it reads).
 *
 * Locking: sb->lock around each operation (tmpfs_internal.h).
 * Context: task.
 * See: docs/storage.md
 */
#include <ember/dirent.h>
#include <ember/errno.h>
#include <ember/fcntl.h>
#include <ember/stat.h>

#include "fs/dirent.h"
#include "fs/file.h"
#include "fs/tmpfs_internal.h"
#include "lib/portable.h"
#include "mm/kheap.h"
#include "mm/layout.h"
#include "mm/pmm.h"

#define DOT_ENTRIES 2 /* "." and "..", listed first with offsets 1 and 2 */

struct tmpfs_open {
    struct tmpfs_sb *sb;
    struct tmpfs_inode *node;
    uint64_t pos; /* files: the offset; directories: the next record's off */
};

/* ---- pages ---- */

static uint8_t *page_at(struct tmpfs_sb *sb, const struct tmpfs_inode *n,
                        uint64_t index)
{
    struct pcache_page *p = pcache_peek(&sb->cache, n->ino, index);
    return p ? p->data : NULL;
}

/* The page at index, made (zeroed) if it was a hole. -ENOSPC when full. */
static int page_make(struct tmpfs_sb *sb, struct tmpfs_inode *n, uint64_t index,
                     uint8_t **out)
{
    struct pcache_page *p = pcache_peek(&sb->cache, n->ino, index);
    if (p == NULL) {
        if (sb->cache.pages >= sb->max_pages)
            return -ENOSPC;
        if (pcache_insert(&sb->cache, n->ino, index, NULL, PCACHE_PAGE, &p) < 0)
            return -ENOSPC; /* no frame: memory is full, so is the fs */
        pcache_mark_dirty(&sb->cache, p, PCACHE_PAGE); /* never reclaimed */
        n->pages++;
    }
    *out = p->data;
    return 0;
}

int tmpfs_resize(struct tmpfs_sb *sb, struct tmpfs_inode *node, uint64_t size)
{
    if (size < node->size && node->pages > 0) {
        uint64_t keep = (size + PCACHE_PAGE - 1) / PCACHE_PAGE;
        uint64_t before = sb->cache.pages;
        pcache_drop_file(&sb->cache, node->ino, keep);
        node->pages -= before - sb->cache.pages;
        uint8_t *tail =
            size % PCACHE_PAGE ? page_at(sb, node, size / PCACHE_PAGE) : NULL;
        if (tail) /* what a later extension shows must be zeros */
            memset(tail + size % PCACHE_PAGE, 0,
                   PCACHE_PAGE - size % PCACHE_PAGE);
    }
    node->size = size; /* growing leaves a hole */
    node->mtime = node->ctime = tmpfs_now();
    return 0;
}

/* Copies n bytes at off out of the file (the caller bounds n by size). */
static void read_pages(struct tmpfs_sb *sb, const struct tmpfs_inode *node,
                       uint8_t *buf, size_t n, uint64_t off)
{
    while (n > 0) {
        uint64_t in = off % PCACHE_PAGE;
        size_t chunk = PCACHE_PAGE - in < n ? PCACHE_PAGE - in : n;
        const uint8_t *page = page_at(sb, node, off / PCACHE_PAGE);
        if (page)
            memcpy(buf, page + in, chunk);
        else
            memset(buf, 0, chunk); /* a hole */
        buf += chunk;
        off += chunk;
        n -= chunk;
    }
}

/* Writes n bytes at off; the count written, or -ENOSPC if none fitted. */
static long write_pages(struct tmpfs_sb *sb, struct tmpfs_inode *node,
                        const uint8_t *buf, size_t n, uint64_t off)
{
    size_t done = 0;
    int err = 0;
    while (done < n) {
        uint64_t in = off % PCACHE_PAGE;
        size_t chunk =
            PCACHE_PAGE - in < n - done ? PCACHE_PAGE - in : n - done;
        uint8_t *page;
        err = page_make(sb, node, off / PCACHE_PAGE, &page);
        if (err < 0)
            break;
        memcpy(page + in, buf + done, chunk);
        done += chunk;
        off += chunk;
    }
    if (done > 0) {
        if (off > node->size)
            node->size = off;
        node->mtime = node->ctime = tmpfs_now();
    }
    return done ? (long)done : err;
}

/* ---- file operations ---- */

static long io_at(struct file *f, void *rbuf, const void *wbuf, size_t n,
                  uint64_t *pos, bool append)
{
    struct tmpfs_open *o = f->priv;
    struct tmpfs_sb *sb = o->sb;
    struct tmpfs_inode *node = o->node;
    if (S_ISDIR(node->mode))
        return -EISDIR;
    if (*pos > INT64_MAX || n > INT64_MAX - *pos)
        return -EINVAL;
    long got;
    mutex_lock(&sb->lock);
    if (rbuf) {
        uint64_t left = *pos < node->size ? node->size - *pos : 0;
        got = (long)(n < left ? n : left);
        read_pages(sb, node, rbuf, (size_t)got, *pos);
    } else {
        if (append)
            *pos = node->size;
        got = write_pages(sb, node, wbuf, n, *pos);
    }
    if (got > 0)
        *pos += (uint64_t)got;
    mutex_unlock(&sb->lock);
    return got;
}

static long tmpfs_read(struct file *f, void *buf, size_t n)
{
    struct tmpfs_open *o = f->priv;
    return io_at(f, buf, NULL, n, &o->pos, false);
}

static long tmpfs_write(struct file *f, const void *buf, size_t n)
{
    struct tmpfs_open *o = f->priv;
    return io_at(f, NULL, buf, n, &o->pos, f->flags & O_APPEND);
}

static long tmpfs_pread(struct file *f, void *buf, size_t n, uint64_t off)
{
    return io_at(f, buf, NULL, n, &off, false);
}

static long tmpfs_pwrite(struct file *f, const void *buf, size_t n,
                         uint64_t off)
{
    return io_at(f, NULL, buf, n, &off, f->flags & O_APPEND);
}

static int64_t tmpfs_lseek(struct file *f, int64_t off, int whence)
{
    struct tmpfs_open *o = f->priv;
    mutex_lock(&o->sb->lock);
    int64_t base = whence == SEEK_SET   ? 0
                   : whence == SEEK_CUR ? (int64_t)o->pos
                                        : (int64_t)o->node->size;
    int64_t to = base + off;
    bool dir = S_ISDIR(o->node->mode);
    if ((off > 0 && to < base) || to < 0 || (dir && to != 0))
        to = -EINVAL; /* a directory can only be rewound */
    else
        o->pos = (uint64_t)to;
    mutex_unlock(&o->sb->lock);
    return to;
}

static int tmpfs_fstat(struct file *f, struct stat *st)
{
    struct tmpfs_open *o = f->priv;
    mutex_lock(&o->sb->lock);
    tmpfs_fill_stat(o->sb, o->node, st);
    mutex_unlock(&o->sb->lock);
    return 0;
}

static int tmpfs_ftruncate(struct file *f, uint64_t size)
{
    struct tmpfs_open *o = f->priv;
    if (!S_ISREG(o->node->mode))
        return -EINVAL;
    if (size > INT64_MAX)
        return -EFBIG;
    mutex_lock(&o->sb->lock);
    int err = tmpfs_resize(o->sb, o->node, size);
    mutex_unlock(&o->sb->lock);
    return err;
}

static uint8_t dtype(uint32_t mode)
{
    switch (mode & S_IFMT) {
    case S_IFDIR:
        return DT_DIR;
    case S_IFLNK:
        return DT_LNK;
    case S_IFIFO:
        return DT_FIFO;
    case S_IFCHR:
        return DT_CHR;
    case S_IFBLK:
        return DT_BLK;
    case S_IFSOCK:
        return DT_SOCK;
    default:
        return DT_REG;
    }
}

/* Records from o->pos on: ".", "..", then each entry by its off. */
static long list(struct tmpfs_open *o, uint8_t *buf, size_t n)
{
    struct tmpfs_inode *dir = o->node;
    size_t used = 0;
    while (o->pos < DOT_ENTRIES) {
        const struct tmpfs_inode *of = o->pos == 0   ? dir
                                       : dir->parent ? dir->parent
                                                     : dir;
        size_t len = dirent_put(buf + used, n - used, o->pos ? ".." : ".",
                                DT_DIR, of->ino, (int64_t)o->pos + 1);
        if (len == 0)
            return used ? (long)used : -EINVAL;
        used += len;
        o->pos++;
    }
    for (const struct tmpfs_dirent *d = dir->entries; d; d = d->next) {
        if (d->off + DOT_ENTRIES <= o->pos)
            continue;
        size_t len =
            dirent_put(buf + used, n - used, d->name, dtype(d->node->mode),
                       d->node->ino, (int64_t)(d->off + DOT_ENTRIES));
        if (len == 0)
            return used ? (long)used : -EINVAL;
        used += len;
        o->pos = d->off + DOT_ENTRIES;
    }
    return (long)used;
}

static long tmpfs_getdents(struct file *f, void *buf, size_t n)
{
    struct tmpfs_open *o = f->priv;
    if (!S_ISDIR(o->node->mode))
        return -ENOTDIR;
    mutex_lock(&o->sb->lock);
    long r = list(o, buf, n);
    mutex_unlock(&o->sb->lock);
    return r;
}

static int tmpfs_page(struct file *f, uint64_t index, uint64_t *frame)
{
    struct tmpfs_open *o = f->priv;
    struct tmpfs_sb *sb = o->sb;
    uint8_t *page;
    mutex_lock(&sb->lock);
    int err = 0;
    if (!S_ISREG(o->node->mode))
        err = -ENODEV;
    else if (index >= (o->node->size + PCACHE_PAGE - 1) / PCACHE_PAGE)
        err = -ENXIO;
    if (err == 0)
        err = page_make(sb, o->node, index, &page);
    if (err == 0) {
        paddr_t phys = (paddr_t)((uintptr_t)page - HHDM_BASE);
        pmm_share(phys);
        *frame = phys;
    }
    mutex_unlock(&sb->lock);
    return err;
}

static void tmpfs_release(struct file *f)
{
    struct tmpfs_open *o = f->priv;
    struct tmpfs_sb *sb = o->sb;
    mutex_lock(&sb->lock);
    o->node->opens--;
    sb->opens--;
    tmpfs_maybe_free(sb, o->node);
    mutex_unlock(&sb->lock);
    kfree(o);
}

static const struct file_ops tmpfs_file_ops = {
    .read = tmpfs_read,
    .write = tmpfs_write,
    .pread = tmpfs_pread,
    .pwrite = tmpfs_pwrite,
    .lseek = tmpfs_lseek,
    .stat = tmpfs_fstat,
    .getdents = tmpfs_getdents,
    .truncate = tmpfs_ftruncate,
    .page = tmpfs_page,
    .release = tmpfs_release,
};

int tmpfs_file_open(struct tmpfs_sb *sb, struct tmpfs_inode *node, int flags,
                    struct file **out)
{
    struct tmpfs_open *o = kmalloc(sizeof *o);
    if (o == NULL)
        return -ENOMEM;
    *o = (struct tmpfs_open){.sb = sb, .node = node};
    *out = file_new(&tmpfs_file_ops, flags, o);
    if (*out == NULL) {
        kfree(o);
        return -ENOMEM;
    }
    return 0;
}
