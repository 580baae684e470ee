/*
 * Links, modes, owners, times and mounts: the calls a filesystem with
 * Unix metadata (tmpfs) answers, and FAT32 answers as Linux's vfat does.
 *
 * Each copies its paths in with sys_path.c's helpers and hands them to
 * the VFS, which asks the filesystem holding the name. The descriptor
 * forms (fchmod, fchown, futimens) go by the path the descriptor was
 * opened with, as the other descriptor calls here do. Ember has one user,
 * root, so chown's check is the filesystem's (vfat: only to uid 0).
 *
 * Context: task.
 * See: docs/syscalls.md, docs/storage.md
 */
#include "syscall/handlers.h"

#include <ember/errno.h>
#include <ember/fcntl.h>
#include <ember/stat.h>
#include <ember/time.h>

#include "fs/fdtable.h"
#include "fs/file.h"
#include "fs/vfs.h"
#include "lib/portable.h"
#include "mm/kheap.h"
#include "mm/user_copy.h"
#include "proc/process.h"

#define AT_SYMLINK_FOLLOW 0x400 /* linkat(), Linux's <fcntl.h> */
#define MOUNT_TEXT_MAX    256   /* a type name or an options string */
#define MKNOD_MODE_BITS   07777 /* what mknod keeps of mode besides S_IFMT */
#define MNT_FORCE         1     /* umount2 flags, Linux's <sys/mount.h> */
#define MNT_DETACH        2
#define MNT_EXPIRE        4
#define UMOUNT_NOFOLLOW   8

/* ---- links ---- */

static long symlink_at(uaddr_t u_target, int dirfd, uaddr_t u_path)
{
    char *target;
    struct syspath_arg p;
    long err = syspath_copy(u_target, &target);
    if (err < 0)
        return err;
    err = syspath_take(dirfd, u_path, &p);
    if (err == 0)
        err = syspath_done(&p, vfs_symlink(target, p.at, p.path));
    kfree(target);
    return err;
}

long sys_symlink(const struct sysargs *a)
{
    return symlink_at(a->arg[0], AT_FDCWD, a->arg[1]);
}

long sys_symlinkat(const struct sysargs *a)
{
    return symlink_at(a->arg[0], (int)a->arg[1], a->arg[2]);
}

/*
 * mknod: a regular file (type 0 or S_IFREG) is made as O_CREAT|O_EXCL
 * makes it, on any filesystem; FIFOs, devices and sockets by the
 * filesystem's mknod (tmpfs; -EPERM on FAT32, as Linux's vfat). One user,
 * root, so device nodes need no privilege. The mode loses the umask.
 */
static long mknod_at(int dirfd, uaddr_t u_path, uint64_t mode, uint64_t dev)
{
    uint32_t type = (uint32_t)mode & S_IFMT;
    uint32_t bits = (uint32_t)mode & MKNOD_MODE_BITS & ~proc_current()->umask;
    if (type == S_IFDIR)
        return -EPERM;
    if (type != 0 && type != S_IFREG && type != S_IFIFO && type != S_IFCHR &&
        type != S_IFBLK && type != S_IFSOCK)
        return -EINVAL;
    struct syspath_arg p;
    long err = syspath_take(dirfd, u_path, &p);
    if (err < 0)
        return err;
    if (type == 0 || type == S_IFREG) {
        struct file *f;
        err =
            vfs_open_mode(p.at, p.path, O_CREAT | O_EXCL | O_WRONLY, bits, &f);
        if (err == 0)
            file_put(f);
    } else {
        err = vfs_mknod(p.at, p.path, type | bits, (uint32_t)dev);
    }
    return syspath_done(&p, err);
}

long sys_mknod(const struct sysargs *a)
{
    return mknod_at(AT_FDCWD, a->arg[0], a->arg[1], a->arg[2]);
}

long sys_mknodat(const struct sysargs *a)
{
    return mknod_at((int)a->arg[0], a->arg[1], a->arg[2], a->arg[3]);
}

static long link_at(int dirfd_from, uaddr_t u_from, int dirfd_to, uaddr_t u_to,
                    uint64_t flags)
{
    struct syspath_arg from, to;
    if (flags & ~(uint64_t)(AT_SYMLINK_FOLLOW | AT_EMPTY_PATH))
        return -EINVAL;
    long err = syspath_take(dirfd_from, u_from, &from);
    if (err < 0)
        return err;
    err = syspath_take(dirfd_to, u_to, &to);
    if (err < 0)
        return syspath_done(&from, err);
    int follow = (flags & AT_SYMLINK_FOLLOW) ? 0 : VFS_NOFOLLOW;
    err = vfs_link(from.at, from.path, to.at, to.path, follow);
    syspath_done(&to, 0);
    return syspath_done(&from, err);
}

long sys_link(const struct sysargs *a)
{
    return link_at(AT_FDCWD, a->arg[0], AT_FDCWD, a->arg[1], 0);
}

long sys_linkat(const struct sysargs *a)
{
    return link_at((int)a->arg[0], a->arg[1], (int)a->arg[2], a->arg[3],
                   a->arg[4]);
}

/* ---- modes, owners, times ---- */

/*
 * The absolute path of an open descriptor, for fchmod, fchown and
 * futimens: a new string to kfree. -EBADF, or -ENOENT for one with no
 * path (a pipe: Linux would change the pipe's inode; there is none here).
 */
static long fd_path(int fd, char **out)
{
    struct file *f;
    long err = fdtable_get(proc_current()->fds, fd, &f);
    if (err < 0)
        return err;
    size_t n = f->path ? strlen(f->path) + 1 : 0;
    *out = n ? kmalloc(n) : NULL;
    if (n == 0)
        err = -ENOENT;
    else if (*out == NULL)
        err = -ENOMEM;
    else
        memcpy(*out, f->path, n);
    file_put(f);
    return err;
}

enum meta_op { META_CHMOD, META_CHOWN, META_TIMES };

struct meta {
    enum meta_op op;
    uint32_t mode, uid, gid;
    const struct timespec *times; /* NULL: now */
};

static long apply(const struct vfs_node *at, const char *path, int flags,
                  const struct meta *m)
{
    switch (m->op) {
    case META_CHMOD:
        return vfs_chmod(at, path, m->mode, flags);
    case META_CHOWN:
        return vfs_chown(at, path, m->uid, m->gid, flags);
    default:
        return vfs_utimens(at, path, m->times, flags);
    }
}

static long meta_fd(int fd, const struct meta *m)
{
    char *path;
    long err = fd_path(fd, &path);
    if (err < 0)
        return err;
    err = apply(NULL, path, 0, m);
    kfree(path);
    return err;
}

static long meta_at(int dirfd, uaddr_t u_path, uint64_t flags,
                    const struct meta *m)
{
    struct syspath_arg p;
    if (flags & ~(uint64_t)(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
        return -EINVAL;
    char first;
    long n = user_copy_str(&first, u_path, 1);
    if (n == 0 && (flags & AT_EMPTY_PATH))
        return meta_fd(dirfd, m); /* fchownat(fd, "", ..., AT_EMPTY_PATH) */
    long err = syspath_take(dirfd, u_path, &p);
    if (err < 0)
        return err;
    int follow = (flags & AT_SYMLINK_NOFOLLOW) ? VFS_NOFOLLOW : 0;
    return syspath_done(&p, apply(p.at, p.path, follow, m));
}

long sys_chmod(const struct sysargs *a)
{
    struct meta m = {.op = META_CHMOD, .mode = (uint32_t)a->arg[1]};
    return meta_at(AT_FDCWD, a->arg[0], 0, &m);
}

long sys_fchmod(const struct sysargs *a)
{
    struct meta m = {.op = META_CHMOD, .mode = (uint32_t)a->arg[1]};
    return meta_fd((int)a->arg[0], &m);
}

/* fchmodat: Linux's own call takes no flags (the fourth is glibc's). */
long sys_fchmodat(const struct sysargs *a)
{
    struct meta m = {.op = META_CHMOD, .mode = (uint32_t)a->arg[2]};
    return meta_at((int)a->arg[0], a->arg[1], 0, &m);
}

long sys_chown(const struct sysargs *a)
{
    struct meta m = {META_CHOWN, 0, (uint32_t)a->arg[1], (uint32_t)a->arg[2],
                     NULL};
    return meta_at(AT_FDCWD, a->arg[0], 0, &m);
}

long sys_lchown(const struct sysargs *a)
{
    struct meta m = {META_CHOWN, 0, (uint32_t)a->arg[1], (uint32_t)a->arg[2],
                     NULL};
    return meta_at(AT_FDCWD, a->arg[0], AT_SYMLINK_NOFOLLOW, &m);
}

long sys_fchown(const struct sysargs *a)
{
    struct meta m = {META_CHOWN, 0, (uint32_t)a->arg[1], (uint32_t)a->arg[2],
                     NULL};
    return meta_fd((int)a->arg[0], &m);
}

long sys_fchownat(const struct sysargs *a)
{
    struct meta m = {META_CHOWN, 0, (uint32_t)a->arg[2], (uint32_t)a->arg[3],
                     NULL};
    return meta_at((int)a->arg[0], a->arg[1], a->arg[4], &m);
}

/*
 * utimensat(dirfd, path, times, flags); a NULL path is futimens(dirfd).
 * The times are checked by the VFS (UTIME_NOW, UTIME_OMIT, -EINVAL).
 */
long sys_utimensat(const struct sysargs *a)
{
    struct timespec times[2];
    struct meta m = {.op = META_TIMES, .times = NULL};
    if (a->arg[2] != 0) {
        if (user_copy_in(times, a->arg[2], sizeof times) < 0)
            return -EFAULT;
        m.times = times;
    }
    if (a->arg[1] == 0)
        return meta_fd((int)a->arg[0], &m);
    return meta_at((int)a->arg[0], a->arg[1], a->arg[3], &m);
}

/* ---- mounts ---- */

/* A short string argument (a type, the options); "" for a NULL pointer. */
static long copy_text(uaddr_t u, char *buf)
{
    buf[0] = '\0';
    if (u == 0)
        return 0;
    long n = user_copy_str(buf, u, MOUNT_TEXT_MAX);
    return n < 0 ? n : 0;
}

/*
 * mount(source, target, type, flags, data): only a new tmpfs (the flags
 * are accepted and not kept: Ember has no nosuid or noexec to enforce);
 * remounts and binds, which need a type Ember does not have, fail
 * -ENODEV as an unknown type does.
 */
long sys_mount(const struct sysargs *a)
{
    char *text = kmalloc(3 * MOUNT_TEXT_MAX);
    if (text == NULL)
        return -ENOMEM;
    char *source = text, *type = text + MOUNT_TEXT_MAX;
    char *opts = text + 2 * MOUNT_TEXT_MAX;
    struct syspath_arg p;
    long err = copy_text(a->arg[0], source);
    if (err == 0)
        err = copy_text(a->arg[2], type);
    if (err == 0)
        err = copy_text(a->arg[4], opts);
    if (err == 0 && source[0] == '\0')
        memcpy(source, "none", sizeof "none");
    if (err == 0)
        err = syspath_take(AT_FDCWD, a->arg[1], &p);
    if (err == 0)
        err =
            syspath_done(&p, vfs_mount_user(p.at, p.path, source, type, opts));
    kfree(text);
    return err;
}

long sys_umount2(const struct sysargs *a)
{
    struct syspath_arg p;
    if (a->arg[1] &
        ~(uint64_t)(MNT_FORCE | MNT_DETACH | MNT_EXPIRE | UMOUNT_NOFOLLOW))
        return -EINVAL;
    long err = syspath_take(AT_FDCWD, a->arg[0], &p);
    return err < 0 ? err : syspath_done(&p, vfs_umount(p.at, p.path));
}
