/*
 * Path calls: names in the tree, the working directory, and links.
 *
 * Every call here takes a path, copies it in once (at most PATH_MAX bytes,
 * on the heap: a 4 KiB buffer is too much for a 16 KiB kernel stack), and
 * hands it to the VFS with the node the path starts from: the process's
 * working directory, or for the *at() calls the directory a descriptor
 * names. The VFS walks the path one name at a time from that node, so only
 * the argument is limited to PATH_MAX, never the absolute path it reaches.
 *
 * Split from sys_file.c (#13), which keeps the descriptor calls and uses
 * the two helpers here, syspath_copy() and syspath_base().
 *
 * Context: task.
 * See: docs/syscalls.md, docs/storage.md
 */
#include "syscall/handlers.h"

#include <ember/errno.h>
#include <ember/fcntl.h>
#include <ember/stat.h>

#include "fs/fdtable.h"
#include "fs/file.h"
#include "fs/vfs.h"
#include "lib/portable.h"
#include "mm/user_copy.h"
#include "proc/process.h"

#define DIR_MODE_BITS 07777
#define SEED_DIR_MODE 0777 /* the seed's mkdir has no mode argument */

long syspath_copy(uaddr_t u_path, char **out)
{
    char *path = kmalloc(VFS_PATH_MAX);
    if (path == NULL)
        return -ENOMEM;
    long n = user_copy_str(path, u_path, VFS_PATH_MAX);
    if (n <= 0) {
        kfree(path);
        return n == 0 ? -ENOENT : n;
    }
    *out = path;
    return 0;
}

long syspath_base(int dirfd, const char *path, struct vfs_node **out)
{
    struct process *p = proc_current();
    if (dirfd == AT_FDCWD || path[0] == '/') {
        *out = vfs_node_get(p->cwd);
        return 0;
    }
    struct file *f;
    int err = fdtable_get(p->fds, dirfd, &f);
    if (err < 0)
        return err;
    struct stat st;
    err = f->path ? file_stat(f, &st) : -ENOTDIR;
    if (err == 0 && (st.st_mode & S_IFMT) != S_IFDIR)
        err = -ENOTDIR;
    if (err == 0 && (*out = vfs_node_new(f->path)) == NULL)
        err = -ENOMEM;
    file_put(f);
    return err;
}

long syspath_take(int dirfd, uaddr_t u_path, struct syspath_arg *a)
{
    a->at = NULL;
    long err = syspath_copy(u_path, &a->path);
    if (err < 0)
        return err;
    err = syspath_base(dirfd, a->path, &a->at);
    if (err < 0)
        kfree(a->path);
    return err;
}

long syspath_done(struct syspath_arg *a, long result)
{
    vfs_node_put(a->at);
    kfree(a->path);
    return result;
}

/* ---- metadata ---- */

static long stat_at(int dirfd, uaddr_t u_path, uaddr_t u_st, bool follow)
{
    struct syspath_arg a;
    struct stat st;
    long err = syspath_take(dirfd, u_path, &a);
    if (err < 0)
        return err;
    err = follow ? vfs_stat(a.at, a.path, &st) : vfs_lstat(a.at, a.path, &st);
    err = err < 0 ? err : user_copy_out(u_st, &st, sizeof st);
    return syspath_done(&a, err);
}

long sys_stat(const struct sysargs *a)
{
    return stat_at(AT_FDCWD, a->arg[0], a->arg[1], true);
}

long sys_lstat(const struct sysargs *a)
{
    return stat_at(AT_FDCWD, a->arg[0], a->arg[1], false);
}

long sys_newfstatat(const struct sysargs *a)
{
    int dirfd = (int)a->arg[0], flags = (int)a->arg[3];
    char first;
    long n = user_copy_str(&first, a->arg[1], 1);
    if (n == -ENAMETOOLONG)
        n = 1; /* not empty: one byte did not hold it */
    if (n < 0)
        return n;
    if (n == 0 && (flags & AT_EMPTY_PATH)) {
        struct sysargs b = {.arg = {(uint64_t)dirfd, a->arg[2]}};
        return sys_fstat(&b);
    }
    return stat_at(dirfd, a->arg[1], a->arg[2], !(flags & AT_SYMLINK_NOFOLLOW));
}

/* access: one user, root, so existing is enough. */
static long access_at(int dirfd, uaddr_t u_path, uint64_t mode)
{
    struct syspath_arg a;
    struct stat st;
    if (mode & ~(uint64_t)(R_OK | W_OK | X_OK))
        return -EINVAL;
    long err = syspath_take(dirfd, u_path, &a);
    return err < 0 ? err : syspath_done(&a, vfs_stat(a.at, a.path, &st));
}

long sys_access(const struct sysargs *a)
{
    return access_at(AT_FDCWD, a->arg[0], a->arg[1]);
}

long sys_faccessat(const struct sysargs *a)
{
    return access_at((int)a->arg[0], a->arg[1], a->arg[2]);
}

static long readlink_at(int dirfd, uaddr_t u_path, uaddr_t u_buf, uint64_t size)
{
    struct syspath_arg a;
    if ((int64_t)size <= 0)
        return -EINVAL;
    if (size > VFS_PATH_MAX)
        size = VFS_PATH_MAX;
    long err = syspath_take(dirfd, u_path, &a);
    if (err < 0)
        return err;
    char *text = kmalloc(size);
    long n = text ? vfs_readlink(a.at, a.path, text, size) : -ENOMEM;
    if (n > 0 && user_copy_out(u_buf, text, (size_t)n) < 0)
        n = -EFAULT;
    kfree(text);
    return syspath_done(&a, n);
}

long sys_readlink(const struct sysargs *a)
{
    return readlink_at(AT_FDCWD, a->arg[0], a->arg[1], a->arg[2]);
}

long sys_readlinkat(const struct sysargs *a)
{
    return readlink_at((int)a->arg[0], a->arg[1], a->arg[2], a->arg[3]);
}

/* ---- the working directory ---- */

/*
 * Linux's order: a path longer than PATH_MAX is -ENAMETOOLONG whatever the
 * buffer, then a buffer too small for it is -ERANGE.
 */
long sys_getcwd(const struct sysargs *a)
{
    const struct vfs_node *cwd = proc_current()->cwd;
    const char *path = vfs_node_path(cwd);
    size_t len = strlen(path) + 1;
    if (len > VFS_PATH_MAX)
        return -ENAMETOOLONG;
    if (a->arg[1] < len)
        return -ERANGE;
    if (user_copy_out(a->arg[0], path, len) < 0)
        return -EFAULT;
    return (long)len;
}

static long change_dir(struct vfs_node *at, const char *path)
{
    struct process *p = proc_current();
    struct vfs_node *dir;
    long err = vfs_chdir(at, path, &dir);
    if (err == 0) {
        vfs_node_put(p->cwd);
        p->cwd = dir;
    }
    return err;
}

long sys_chdir(const struct sysargs *a)
{
    struct syspath_arg p;
    long err = syspath_take(AT_FDCWD, a->arg[0], &p);
    return err < 0 ? err : syspath_done(&p, change_dir(p.at, p.path));
}

long sys_fchdir(const struct sysargs *a)
{
    struct vfs_node *dir;
    long err = syspath_base((int)a->arg[0], "", &dir);
    if (err < 0)
        return err;
    err = change_dir(dir, ".");
    vfs_node_put(dir);
    return err;
}

/* ---- changing the tree ---- */

/*
 * rmdir of a path ending in "." or "..": Linux refuses by the name alone
 * (-EINVAL, -ENOTEMPTY), before resolving it; resolving would otherwise
 * turn "dir/." into "dir" and remove it.
 */
static int rmdir_checked(const struct vfs_node *at, const char *path)
{
    size_t n = strlen(path);
    while (n > 1 && path[n - 1] == '/')
        n--;
    size_t start = n;
    while (start > 0 && path[start - 1] != '/')
        start--;
    if (n - start == 1 && path[start] == '.')
        return -EINVAL;
    if (n - start == 2 && path[start] == '.' && path[start + 1] == '.')
        return -ENOTEMPTY;
    return vfs_rmdir(at, path);
}

typedef int (*path_fn)(const struct vfs_node *at, const char *path);

static long path_call(int dirfd, uaddr_t u_path, path_fn call)
{
    struct syspath_arg a;
    long err = syspath_take(dirfd, u_path, &a);
    return err < 0 ? err : syspath_done(&a, call(a.at, a.path));
}

static long mkdir_at(int dirfd, uaddr_t u_path, uint64_t mode)
{
    struct syspath_arg a;
    uint32_t bits = (uint32_t)mode & DIR_MODE_BITS & ~proc_current()->umask;
    long err = syspath_take(dirfd, u_path, &a);
    return err < 0 ? err : syspath_done(&a, vfs_mkdir(a.at, a.path, bits));
}

long syspath_mkdir(uaddr_t u_path)
{
    return mkdir_at(AT_FDCWD, u_path, SEED_DIR_MODE);
}

long sys_mkdir(const struct sysargs *a)
{
    return mkdir_at(AT_FDCWD, a->arg[0], a->arg[1]);
}

long sys_rmdir(const struct sysargs *a)
{
    return path_call(AT_FDCWD, a->arg[0], rmdir_checked);
}

long sys_unlink(const struct sysargs *a)
{
    return path_call(AT_FDCWD, a->arg[0], vfs_unlink);
}

long sys_mkdirat(const struct sysargs *a)
{
    return mkdir_at((int)a->arg[0], a->arg[1], a->arg[2]);
}

long sys_unlinkat(const struct sysargs *a)
{
    if (a->arg[2] & ~(uint64_t)AT_REMOVEDIR)
        return -EINVAL;
    return path_call((int)a->arg[0], a->arg[1],
                     (a->arg[2] & AT_REMOVEDIR) ? rmdir_checked : vfs_unlink);
}

static long rename_at(int dirfd_from, uaddr_t u_from, int dirfd_to,
                      uaddr_t u_to)
{
    struct syspath_arg from, to;
    long err = syspath_take(dirfd_from, u_from, &from);
    if (err < 0)
        return err;
    err = syspath_take(dirfd_to, u_to, &to);
    if (err < 0)
        return syspath_done(&from, err);
    err = vfs_rename(from.at, from.path, to.at, to.path);
    syspath_done(&to, 0);
    return syspath_done(&from, err);
}

long syspath_rename(uaddr_t u_from, uaddr_t u_to)
{
    return rename_at(AT_FDCWD, u_from, AT_FDCWD, u_to);
}

long sys_rename(const struct sysargs *a)
{
    return syspath_rename(a->arg[0], a->arg[1]);
}

long sys_renameat(const struct sysargs *a)
{
    return rename_at((int)a->arg[0], a->arg[1], (int)a->arg[2], a->arg[3]);
}

long sys_truncate(const struct sysargs *a)
{
    struct syspath_arg p;
    if ((int64_t)a->arg[1] < 0)
        return -EINVAL;
    long err = syspath_take(AT_FDCWD, a->arg[0], &p);
    return err < 0 ? err
                   : syspath_done(&p, vfs_truncate(p.at, p.path, a->arg[1]));
}

/* ---- the filesystem's size ---- */

/* Linux's struct statfs (x86_64); f_type is the filesystem's magic. */
struct linux_statfs {
    int64_t f_type, f_bsize;
    uint64_t f_blocks, f_bfree, f_bavail, f_files, f_ffree;
    int32_t f_fsid[2];
    int64_t f_namelen, f_frsize, f_flags, f_spare[4];
};
_Static_assert(sizeof(struct linux_statfs) == 120, "Linux x86_64 statfs");

#define STATFS_BLOCK 4096

static long statfs_out(const struct vfs_node *at, const char *path,
                       uaddr_t u_buf)
{
    struct vfs_statfs v;
    long err = vfs_statfs(at, path, &v);
    if (err < 0)
        return err;
    struct linux_statfs s = {
        .f_type = (int64_t)v.magic,
        .f_bsize = STATFS_BLOCK,
        .f_blocks = v.total / STATFS_BLOCK,
        .f_bfree = v.free / STATFS_BLOCK,
        .f_bavail = v.free / STATFS_BLOCK,
        .f_files = v.files,
        .f_ffree = v.files_free,
        .f_namelen = VFS_NAME_MAX,
        .f_frsize = STATFS_BLOCK,
    };
    return user_copy_out(u_buf, &s, sizeof s);
}

long sys_statfs(const struct sysargs *a)
{
    struct syspath_arg p;
    long err = syspath_take(AT_FDCWD, a->arg[0], &p);
    return err < 0 ? err
                   : syspath_done(&p, statfs_out(p.at, p.path, a->arg[1]));
}

long sys_fstatfs(const struct sysargs *a)
{
    struct file *f;
    int err = fdtable_get(proc_current()->fds, (int)a->arg[0], &f);
    if (err < 0)
        return err;
    long r = statfs_out(NULL, f->path ? f->path : "/", a->arg[1]);
    file_put(f);
    return r;
}
