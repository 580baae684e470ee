/*
 * Open files: reference counts and the checked wrappers around each
 * file's operations. The per-process descriptor table is fdtable.c.
 *
 * A struct file is shared by every descriptor that refers to it (dup, fork),
 * so the last file_put() releases it, whichever descriptor goes last. The
 * wrappers check what the open mode allows before the implementation runs,
 * so no implementation repeats those checks: reading a file opened O_WRONLY
 * is -EBADF, a missing operation is the errno Linux gives for it.
 *
 * Locking: refs changes with interrupts off (Ember runs on one CPU, and a
 * file may be put from any task).
 * Context: task; the operations may sleep.
 * See: docs/storage.md
 */
#include "fs/file.h"

#include <ember/errno.h>
#include <ember/fcntl.h>

#include "arch/x86_64/irq.h"
#include "lib/portable.h"
#include "mm/kheap.h"

struct file *file_new(const struct file_ops *ops, int flags, void *priv)
{
    struct file *f = kmalloc(sizeof *f);
    if (f == NULL)
        return NULL;
    *f = (struct file){.ops = ops, .refs = 1, .flags = flags, .priv = priv};
    return f;
}

void file_get(struct file *f)
{
    uint64_t irq = irq_save();
    KASSERT(f->refs > 0);
    f->refs++;
    irq_restore(irq);
}

void file_put(struct file *f)
{
    uint64_t irq = irq_save();
    KASSERT(f->refs > 0);
    unsigned left = --f->refs;
    irq_restore(irq);
    if (left > 0)
        return;
    if (f->ops->release)
        f->ops->release(f);
    kfree(f->path);
    kfree(f);
}

static bool can_read(const struct file *f)
{
    return (f->flags & O_ACCMODE) != O_WRONLY;
}

static bool can_write(const struct file *f)
{
    int mode = f->flags & O_ACCMODE;
    return mode == O_WRONLY || mode == O_RDWR;
}

int file_truncate(struct file *f, uint64_t size)
{
    if (!can_write(f) || f->ops->truncate == NULL)
        return -EINVAL;
    return f->ops->truncate(f, size);
}

long file_read(struct file *f, void *buf, size_t n)
{
    if (!can_read(f))
        return -EBADF;
    if (f->ops->read == NULL)
        return -EINVAL;
    return f->ops->read(f, buf, n);
}

long file_write(struct file *f, const void *buf, size_t n)
{
    if (!can_write(f))
        return -EBADF;
    if (f->ops->write == NULL)
        return -EINVAL;
    return f->ops->write(f, buf, n);
}

long file_pread(struct file *f, void *buf, size_t n, uint64_t off)
{
    if (!can_read(f))
        return -EBADF;
    if (f->ops->pread == NULL)
        return -ESPIPE;
    return f->ops->pread(f, buf, n, off);
}

long file_read_user(struct file *f, uint64_t u_buf, size_t n,
                    const uint64_t *at)
{
    if (!can_read(f))
        return -EBADF;
    if (f->ops->read_user == NULL)
        return -ENOSYS;
    return f->ops->read_user(f, u_buf, n, at);
}

long file_pwrite(struct file *f, const void *buf, size_t n, uint64_t off)
{
    if (!can_write(f))
        return -EBADF;
    if (f->ops->pwrite == NULL)
        return -ESPIPE;
    return f->ops->pwrite(f, buf, n, off);
}

bool file_positional(const struct file *f)
{
    return f->ops->pread != NULL || f->ops->pwrite != NULL;
}

int64_t file_lseek(struct file *f, int64_t off, int whence)
{
    if (whence != SEEK_SET && whence != SEEK_CUR && whence != SEEK_END)
        return -EINVAL;
    if (f->ops->lseek == NULL)
        return -ESPIPE;
    return f->ops->lseek(f, off, whence);
}

long file_ioctl(struct file *f, unsigned long cmd, uint64_t u_arg)
{
    if (f->ops->ioctl == NULL)
        return -ENOTTY;
    return f->ops->ioctl(f, cmd, u_arg);
}

int file_page(struct file *f, uint64_t index, uint64_t *frame)
{
    if (!can_read(f))
        return -EBADF;
    if (f->ops->page == NULL)
        return -ENODEV;
    return f->ops->page(f, index, frame);
}

int file_page_writable(struct file *f, uint64_t index, uint64_t *frame)
{
    if ((f->flags & O_ACCMODE) != O_RDWR)
        return -EACCES;
    if (f->ops->page_writable == NULL)
        return -ENODEV;
    return f->ops->page_writable(f, index, frame);
}

int file_stat(struct file *f, struct stat *st)
{
    if (f->ops->stat == NULL)
        return -EINVAL;
    return f->ops->stat(f, st);
}

long file_getdents(struct file *f, void *buf, size_t n)
{
    if (f->ops->getdents == NULL)
        return -ENOTDIR;
    return f->ops->getdents(f, buf, n);
}
