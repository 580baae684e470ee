/*
 * Open files: what a file descriptor points at.
 *
 * A struct file is one open file: its operations (FAT32 file or directory,
 * console, pipe end, /dev/null, a /proc entry...), its open flags and a
 * reference count. Descriptors in one process, or in a parent and child
 * after fork, may share one struct file (and so its offset), as on Unix.
 *
 * Every operation but read_user works on KERNEL buffers: the syscall layer
 * copies user memory in and out around them (a bounce buffer), so no
 * filesystem lock is ever held across a user copy (docs/usermode.md);
 * read_user copies from pinned page-cache pages after unlocking.
 * Operations may sleep.
 *
 * Locking: the reference count is changed with interrupts off; a file's own
 * state is guarded by its implementation (the FAT volume mutex, the pipe's
 * lock...). Descriptor tables are fs/fdtable.h.
 * See: docs/storage.md, docs/usermode.md
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct file;
struct stat;

struct file_ops {
    /* Bytes read into buf (0 at end of file), or -errno. May block. */
    long (*read)(struct file *f, void *buf, size_t n);
    /* Bytes written from buf, or -errno (-EPIPE, -ENOSPC...). May block. */
    long (*write)(struct file *f, const void *buf, size_t n);
    /*
     * read and write at offset off, leaving the file's own offset alone,
     * as one step for anyone sharing the file; NULL means -ESPIPE. With
     * O_APPEND, pwrite appends, as Linux's does.
     */
    long (*pread)(struct file *f, void *buf, size_t n, uint64_t off);
    long (*pwrite)(struct file *f, const void *buf, size_t n, uint64_t off);
    /* New offset, or -errno; NULL means -ESPIPE. */
    int64_t (*lseek)(struct file *f, int64_t off, int whence);
    /* Linux ioctl; u_arg is a user address (use user_copy_*). NULL: -ENOTTY. */
    long (*ioctl)(struct file *f, unsigned long cmd, uint64_t u_arg);
    /* Fills st (Linux x86_64 layout). */
    int (*stat)(struct file *f, struct stat *st);
    /*
     * Directory entries as struct linux_dirent64 records into buf, at most
     * n bytes; returns bytes used, 0 at the end, -EINVAL if buf is too small
     * for the next record, -ENOTDIR for non-directories (NULL means that).
     */
    long (*getdents)(struct file *f, void *buf, size_t n);
    /* The last reference is gone: free everything. */
    void (*release)(struct file *f);
    /* Sets a regular file's size; NULL means -EINVAL. */
    int (*truncate)(struct file *f, uint64_t size);
    /*
     * The physical frame holding page `index` of the file in the page
     * cache, with one more owner taken for the caller (who maps it, or
     * pmm_free()s it). NULL means the file has no page cache: -ENODEV.
     */
    int (*page)(struct file *f, uint64_t index, uint64_t *frame);
    /*
     * page() for a writable shared mapping: the page is written back
     * while it stays mapped (docs/storage.md, section 11a). NULL means
     * such mappings are refused: -ENODEV.
     */
    int (*page_writable)(struct file *f, uint64_t index, uint64_t *frame);
    /*
     * Optional, the one operation that takes a user address: read n bytes
     * at the file's offset (at NULL) or at *at (which leaves the offset
     * alone) straight into user memory at u_buf, copying each cached page
     * out with no lock held (the page pinned meanwhile). Returns the bytes
     * read, 0 at the end, or -errno (-EFAULT before any byte). When set,
     * the syscall layer uses it instead of read and pread.
     */
    long (*read_user)(struct file *f, uint64_t u_buf, size_t n,
                      const uint64_t *at);
    /*
     * What a read or write would do now without blocking: POLLIN, POLLOUT,
     * POLLHUP, POLLERR bits (<ember/uio.h>). Called with interrupts off; must
     * not sleep. A file whose state changes calls poll_notify(). NULL means
     * always readable and writable, as for a regular file.
     */
    unsigned (*poll)(struct file *f);
};

struct file {
    const struct file_ops *ops;
    unsigned refs; /* interrupts off */
    int flags;     /* O_ACCMODE bits, O_APPEND, O_NONBLOCK (F_SETFL) */
    void *priv;    /* the implementation's state */
    char *path;    /* the absolute path it was opened by, or NULL (pipes) */
};

/*
 * A new file with one reference. NULL when memory is short.
 * Context: task.
 */
struct file *file_new(const struct file_ops *ops, int flags, void *priv);

/* Takes / drops a reference; the last file_put() calls release(). */
void file_get(struct file *f);
void file_put(struct file *f);

/* Wrappers that check the access mode and NULL ops; -EBADF, -ESPIPE... */
long file_read(struct file *f, void *buf, size_t n);

/*
 * A cached page of a readable file for mapping (file_ops.page): 0 and
 * *frame with one owner for the caller, -EBADF, -ENODEV (no page cache),
 * -ENXIO (past the end), or the read's error.
 */
int file_page(struct file *f, uint64_t index, uint64_t *frame);

/*
 * file_page() for MAP_SHARED with PROT_WRITE: also -EACCES unless f is
 * open for reading and writing, -ENODEV when the file cannot track it.
 */
int file_page_writable(struct file *f, uint64_t index, uint64_t *frame);
long file_write(struct file *f, const void *buf, size_t n);
long file_pread(struct file *f, void *buf, size_t n, uint64_t off);
/*
 * file_ops.read_user when the file has one (at: NULL or a pread's offset):
 * the bytes read or -errno; -ENOSYS when it has none (use file_read()).
 */
long file_read_user(struct file *f, uint64_t u_buf, size_t n,
                    const uint64_t *at);
long file_pwrite(struct file *f, const void *buf, size_t n, uint64_t off);
/* True if the file has positions: pread and pwrite work (else -ESPIPE). */
bool file_positional(const struct file *f);
int64_t file_lseek(struct file *f, int64_t off, int whence);
long file_ioctl(struct file *f, unsigned long cmd, uint64_t u_arg);
int file_stat(struct file *f, struct stat *st);
long file_getdents(struct file *f, void *buf, size_t n);
/* ftruncate: 0, -EINVAL (not a regular file open for writing), ... */
int file_truncate(struct file *f, uint64_t size);
