/*
 * File calls: descriptors, reading and writing, pipes.
 *
 * Reads from a file with a page cache copy straight from its pages to the
 * program (file_read_user(): the file layer pins each page, unlocks and
 * copies). Other reads, and writes, go through a bounce buffer of at most
 * IO_CHUNK bytes:
 * the file layer works on kernel memory and may hold its filesystem's lock
 * (kernel/fs/file.h), and no lock may be held across a user copy, so each
 * chunk is read into the buffer, the lock is dropped inside the file layer,
 * and only then is the chunk copied out. A short transfer ends the loop.
 * The calls that take a path are in sys_path.c; open() is here, with the
 * descriptors it makes, and copies its path with sys_path.c's helpers.
 *
 * A write to a pipe with no reader raises SIGPIPE; the process sees
 * -EPIPE only if it ignores SIGPIPE, as on Linux.
 *
 * Context: task.
 * See: docs/syscalls.md
 */
#include "syscall/handlers.h"

#include <ember/dirent.h>
#include <ember/errno.h>
#include <ember/fcntl.h>
#include <ember/signal.h>
#include <ember/stat.h>
#include <ember/uio.h>

#include "fs/fdtable.h"
#include "fs/file.h"
#include "fs/pipe.h"
#include "fs/vfs.h"
#include "lib/portable.h"
#include "mm/user_copy.h"
#include "proc/process.h"
#include "proc/signal.h"
#include "sched/wait.h"

#define IO_CHUNK       (64 * 1024)
#define IOV_MAX        1024
#define WRITE_MASK     (O_APPEND | O_NONBLOCK)
#define MODE_BITS      07777
#define OPEN_SEED_MODE 0666 /* the seed's open has no mode argument */

static struct fdtable *fds(void)
{
    return proc_current()->fds;
}

/* ---- reading and writing through the bounce buffer ---- */

static long write_error(long err)
{
    if (err == -EPIPE) {
        struct process *p = proc_current();
        if (!(p->sig_ignored & SIG_BIT(SIGPIPE)))
            signal_post(p, SIGPIPE);
    }
    return err;
}

enum io_dir { IO_READ, IO_WRITE };

/* One chunk: at the file's own offset, or at *at + done (pread, pwrite). */
static long chunk_io(struct file *f, void *buf, size_t n, enum io_dir dir,
                     const uint64_t *at, uint64_t done)
{
    if (dir == IO_READ)
        return at ? file_pread(f, buf, n, *at + done) : file_read(f, buf, n);
    return at ? file_pwrite(f, buf, n, *at + done) : file_write(f, buf, n);
}

/*
 * read, write, pread and pwrite in one loop: IO_CHUNK bytes at a time
 * between the file and a kernel buffer, copied out after each read or in
 * before each write. A short transfer ends the loop: a read's end of file
 * (or all a pipe or terminal had), a write's full disk (the next write
 * says -ENOSPC). An error after some bytes moved is dropped, and the count
 * returned, as Linux does.
 */
static long do_io(struct file *f, uaddr_t u_buf, size_t len, enum io_dir dir,
                  const uint64_t *at)
{
    if (!user_range_ok(u_buf, len) && len)
        return -EFAULT;
    if (dir == IO_READ) { /* straight from the page cache, where there is one */
        long r = file_read_user(f, u_buf, len, at);
        if (r != -ENOSYS)
            return r;
    }
    size_t chunk = len < IO_CHUNK ? len : IO_CHUNK;
    uint8_t *buf = kmalloc(chunk ? chunk : 1);
    if (!buf)
        return -ENOMEM;
    long total = 0;
    while ((size_t)total < len) {
        if (total > 0 && wait_fatal_pending())
            break; /* killed: the bytes done, as Linux returns them */
        size_t want = len - (size_t)total < chunk ? len - (size_t)total : chunk;
        uaddr_t u = u_buf + (uint64_t)total;
        if (dir == IO_WRITE && user_copy_in(buf, u, want) < 0) {
            total = total ? total : -EFAULT;
            break;
        }
        long n = chunk_io(f, buf, want, dir, at, (uint64_t)total);
        if (n < 0) {
            if (total == 0)
                total = dir == IO_WRITE ? write_error(n) : n;
            break;
        }
        if (dir == IO_READ && n > 0 && user_copy_out(u, buf, (size_t)n)) {
            total = total ? total : -EFAULT;
            break;
        }
        total += n;
        if ((size_t)n < want)
            break;
    }
    kfree(buf);
    return total;
}

long sysfile_transfer(int fd, uaddr_t u_buf, size_t len, bool write)
{
    struct file *f;
    int err = fdtable_get(fds(), fd, &f);
    if (err < 0)
        return err;
    long r = do_io(f, u_buf, len, write ? IO_WRITE : IO_READ, NULL);
    file_put(f);
    return r;
}

long sys_read(const struct sysargs *a)
{
    return sysfile_transfer((int)a->arg[0], a->arg[1], (size_t)a->arg[2],
                            false);
}

long sys_write(const struct sysargs *a)
{
    return sysfile_transfer((int)a->arg[0], a->arg[1], (size_t)a->arg[2], true);
}

/*
 * pread64/pwrite64: the transfer at offset arg[3]. The offset goes down to
 * the file's own pread/pwrite, so the file's shared offset never moves,
 * not even while the call runs: another process holding the same open file
 * (after fork) reads and writes at its offset undisturbed. -ESPIPE for files
 * without positions, like pipes.
 */
static long positional_io(const struct sysargs *a, enum io_dir dir)
{
    struct file *f;
    uint64_t at = a->arg[3];
    if ((int64_t)at < 0)
        return -EINVAL;
    int err = fdtable_get(fds(), (int)a->arg[0], &f);
    if (err < 0)
        return err;
    long r = file_positional(f)
                 ? do_io(f, a->arg[1], (size_t)a->arg[2], dir, &at)
                 : -ESPIPE;
    file_put(f);
    return r;
}

long sys_pread64(const struct sysargs *a)
{
    return positional_io(a, IO_READ);
}

long sys_pwrite64(const struct sysargs *a)
{
    return positional_io(a, IO_WRITE);
}

static long vector_io(const struct sysargs *a, bool write)
{
    int cnt = (int)a->arg[2];
    if (cnt < 0 || cnt > IOV_MAX)
        return -EINVAL;
    struct file *f;
    int err = fdtable_get(fds(), (int)a->arg[0], &f);
    if (err < 0)
        return err;
    long total = 0;
    for (int i = 0; i < cnt; i++) {
        struct iovec v;
        if (user_copy_in(&v, a->arg[1] + (uint64_t)i * sizeof v, sizeof v)) {
            total = total ? total : -EFAULT;
            break;
        }
        if (v.iov_len == 0)
            continue;
        long n =
            do_io(f, v.iov_base, v.iov_len, write ? IO_WRITE : IO_READ, NULL);
        if (n < 0) {
            total = total ? total : n;
            break;
        }
        total += n;
        if ((uint64_t)n < v.iov_len)
            break;
    }
    file_put(f);
    return total;
}

long sys_readv(const struct sysargs *a)
{
    return vector_io(a, false);
}

long sys_writev(const struct sysargs *a)
{
    return vector_io(a, true);
}

/* ---- opening and closing ---- */

/* The mode a created file gets: what was asked, less the umask. */
static uint32_t create_mode(uint64_t mode)
{
    return (uint32_t)mode & MODE_BITS & ~proc_current()->umask;
}

static long open_at(int dirfd, uaddr_t u_path, int flags, uint32_t mode)
{
    char *path;
    long err = syspath_copy(u_path, &path);
    if (err < 0)
        return err;
    struct vfs_node *at = NULL;
    err = syspath_base(dirfd, path, &at);
    struct file *f;
    if (err == 0)
        err = vfs_open_mode(at, path, flags, mode, &f);
    vfs_node_put(at);
    kfree(path);
    if (err < 0)
        return err;
    err = fdtable_install(fds(), f, 0, (flags & O_CLOEXEC) != 0);
    if (err < 0)
        file_put(f);
    return err;
}

long sysfile_open(uaddr_t u_path, int flags)
{
    return open_at(AT_FDCWD, u_path, flags, create_mode(OPEN_SEED_MODE));
}

long sys_open(const struct sysargs *a)
{
    return open_at(AT_FDCWD, a->arg[0], (int)a->arg[1], create_mode(a->arg[2]));
}

long sys_openat(const struct sysargs *a)
{
    return open_at((int)a->arg[0], a->arg[1], (int)a->arg[2],
                   create_mode(a->arg[3]));
}

long sysfile_close(int fd)
{
    return fdtable_close(fds(), fd);
}

long sys_close(const struct sysargs *a)
{
    return sysfile_close((int)a->arg[0]);
}

long sysfile_seek(int fd, int64_t off, int whence)
{
    struct file *f;
    if (whence < SEEK_SET || whence > SEEK_END)
        return -EINVAL;
    int err = fdtable_get(fds(), fd, &f);
    if (err < 0)
        return err;
    int64_t r = file_lseek(f, off, whence);
    file_put(f);
    return r;
}

long sys_lseek(const struct sysargs *a)
{
    return sysfile_seek((int)a->arg[0], (int64_t)a->arg[1], (int)a->arg[2]);
}

/* ---- metadata ---- */

long sys_fstat(const struct sysargs *a)
{
    struct file *f;
    struct stat st;
    int err = fdtable_get(fds(), (int)a->arg[0], &f);
    if (err < 0)
        return err;
    err = file_stat(f, &st);
    file_put(f);
    if (err < 0)
        return err;
    return user_copy_out(a->arg[1], &st, sizeof st);
}

long sys_getdents64(const struct sysargs *a)
{
    size_t len = (size_t)a->arg[2];
    struct file *f;
    int err = fdtable_get(fds(), (int)a->arg[0], &f);
    if (err < 0)
        return err;
    /* The whole buffer must be good before entries are taken for it. */
    if (!user_range_ok(a->arg[1], len)) {
        file_put(f);
        return -EFAULT;
    }
    if (len > IO_CHUNK)
        len = IO_CHUNK;
    if (user_probe_writable(a->arg[1], len) < 0) {
        file_put(f);
        return -EFAULT;
    }
    uint8_t *buf = kmalloc(len ? len : 1);
    long r = buf ? file_getdents(f, buf, len) : -ENOMEM;
    if (r > 0 && user_copy_out(a->arg[1], buf, (size_t)r) < 0)
        r = -EFAULT;
    kfree(buf);
    file_put(f);
    return r;
}

long sys_ioctl(const struct sysargs *a)
{
    struct file *f;
    int err = fdtable_get(fds(), (int)a->arg[0], &f);
    if (err < 0)
        return err;
    long r = file_ioctl(f, (unsigned long)a->arg[1], a->arg[2]);
    file_put(f);
    return r;
}

/* ---- pipes and descriptors ---- */

static long make_pipe(uaddr_t u_fds, int flags)
{
    if (flags & ~(O_CLOEXEC | O_NONBLOCK))
        return -EINVAL;
    struct file *r, *w;
    int err = pipe_create(flags & O_NONBLOCK, &r, &w);
    if (err < 0)
        return err;
    bool cloexec = (flags & O_CLOEXEC) != 0;
    int fd[2];
    fd[0] = fdtable_install(fds(), r, 0, cloexec);
    if (fd[0] < 0) {
        file_put(r);
        file_put(w);
        return fd[0];
    }
    fd[1] = fdtable_install(fds(), w, 0, cloexec);
    if (fd[1] < 0) {
        fdtable_close(fds(), fd[0]);
        file_put(w);
        return fd[1];
    }
    if (user_copy_out(u_fds, fd, sizeof fd) < 0) {
        fdtable_close(fds(), fd[0]);
        fdtable_close(fds(), fd[1]);
        return -EFAULT;
    }
    return 0;
}

long sys_pipe(const struct sysargs *a)
{
    return make_pipe(a->arg[0], 0);
}

long sys_pipe2(const struct sysargs *a)
{
    return make_pipe(a->arg[0], (int)a->arg[1]);
}

long sys_dup(const struct sysargs *a)
{
    struct file *f;
    int err = fdtable_get(fds(), (int)a->arg[0], &f);
    if (err < 0)
        return err;
    err = fdtable_install(fds(), f, 0, false);
    if (err < 0)
        file_put(f);
    return err;
}

long sys_dup2(const struct sysargs *a)
{
    int oldfd = (int)a->arg[0], newfd = (int)a->arg[1];
    if (oldfd == newfd) {
        struct file *f;
        int err = fdtable_get(fds(), oldfd, &f);
        if (err < 0)
            return err;
        file_put(f);
        return newfd;
    }
    return fdtable_dup2(fds(), oldfd, newfd, false);
}

long sys_dup3(const struct sysargs *a)
{
    int oldfd = (int)a->arg[0], newfd = (int)a->arg[1];
    int flags = (int)a->arg[2];
    if (oldfd == newfd || (flags & ~O_CLOEXEC))
        return -EINVAL;
    return fdtable_dup2(fds(), oldfd, newfd, (flags & O_CLOEXEC) != 0);
}

long sys_fcntl(const struct sysargs *a)
{
    int fd = (int)a->arg[0], cmd = (int)a->arg[1];
    uint64_t arg = a->arg[2];
    struct fdtable *t = fds();
    struct file *f;
    int err = fdtable_get(t, fd, &f);
    if (err < 0)
        return err;
    long r = 0;
    switch (cmd) {
    case F_DUPFD:
    case F_DUPFD_CLOEXEC:
        if (arg >= FD_MAX) {
            r = -EINVAL;
            break;
        }
        file_get(f);
        r = fdtable_install(t, f, (int)arg, cmd == F_DUPFD_CLOEXEC);
        if (r < 0)
            file_put(f);
        break;
    case F_GETFD:
        r = t->cloexec[fd] ? FD_CLOEXEC : 0;
        break;
    case F_SETFD:
        t->cloexec[fd] = (arg & FD_CLOEXEC) != 0;
        break;
    case F_GETFL:
        r = f->flags;
        break;
    case F_SETFL:
        f->flags = (int)((f->flags & ~WRITE_MASK) | (arg & WRITE_MASK));
        break;
    default:
        r = -EINVAL;
    }
    file_put(f);
    return r;
}

long sys_ftruncate(const struct sysargs *a)
{
    struct file *f;
    if ((int64_t)a->arg[1] < 0)
        return -EINVAL;
    int err = fdtable_get(fds(), (int)a->arg[0], &f);
    if (err < 0)
        return err;
    err = file_truncate(f, a->arg[1]);
    file_put(f);
    return err;
}

long sys_fsync(const struct sysargs *a)
{
    struct file *f;
    int err = fdtable_get(fds(), (int)a->arg[0], &f);
    if (err < 0)
        return err;
    file_put(f);
    return vfs_sync();
}

/*
 * Linux's sync() cannot fail; Ember's says -EIO when a write did not reach
 * the disk (the volume then turned read-only: docs/storage.md), so that
 * the sync program can report it.
 */
long sys_sync(const struct sysargs *a)
{
    (void)a;
    return vfs_sync();
}

/* Writes all n bytes of buf to f: the count written, or an error if none. */
static long write_all(struct file *f, const uint8_t *buf, size_t n)
{
    size_t done = 0;
    while (done < n) {
        long w = file_write(f, buf + done, n - done);
        if (w <= 0)
            return done ? (long)done : (w < 0 ? write_error(w) : -EIO);
        done += (size_t)w;
    }
    return (long)done;
}

/* Copies up to len bytes from in (at *at when at is set) to out. */
static long copy_between(struct file *out, struct file *in, uint64_t *at,
                         size_t len)
{
    size_t chunk = len < IO_CHUNK ? len : IO_CHUNK;
    uint8_t *buf = kmalloc(chunk ? chunk : 1);
    if (!buf)
        return -ENOMEM;
    long total = 0;
    while ((size_t)total < len) {
        if (total > 0 && wait_fatal_pending())
            break; /* killed: the bytes done, as Linux returns them */
        size_t want = len - (size_t)total < chunk ? len - (size_t)total : chunk;
        long n = at ? file_pread(in, buf, want, *at) : file_read(in, buf, want);
        if (n <= 0) {
            total = total ? total : n;
            break;
        }
        long w = write_all(out, buf, (size_t)n);
        if (w < 0) {
            total = total ? total : w;
            break;
        }
        if (at)
            *at += (uint64_t)w;
        total += w;
        if (w < n || (size_t)n < want)
            break;
    }
    kfree(buf);
    return total;
}

/*
 * sendfile(out, in, u_off, count): the kernel copies from in to out through
 * its bounce buffer, no user memory in between. With u_off, in is read at
 * *u_off, its own offset stays, and *u_off moves by what was sent; without,
 * in's offset moves. As on Linux, in must be a file with positions: a pipe
 * or terminal gets -ESPIPE with an offset, -EINVAL without.
 */
long sys_sendfile(const struct sysargs *a)
{
    struct file *out, *in;
    uaddr_t u_off = a->arg[2];
    int64_t off = 0;
    if (u_off && user_copy_in(&off, u_off, sizeof off) < 0)
        return -EFAULT;
    if (off < 0)
        return -EINVAL;
    int err = fdtable_get(fds(), (int)a->arg[0], &out);
    if (err < 0)
        return err;
    err = fdtable_get(fds(), (int)a->arg[1], &in);
    if (err < 0) {
        file_put(out);
        return err;
    }
    uint64_t at = (uint64_t)off;
    long r;
    if (file_positional(in))
        r = copy_between(out, in, u_off ? &at : NULL, (size_t)a->arg[3]);
    else
        r = u_off ? -ESPIPE : -EINVAL; /* Linux's answers for a pipe */
    file_put(in);
    file_put(out);
    off = (int64_t)at;
    if (r >= 0 && u_off && user_copy_out(u_off, &off, sizeof off) < 0)
        return -EFAULT;
    return r;
}
