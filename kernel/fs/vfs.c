/*
 * The VFS: paths resolved by text, and a table of mounted filesystems.
 *
 * A path is first made absolute and normalised (vfs_resolve()): joined to
 * the caller's working directory, with `.`, `..` and repeated slashes
 * removed by text alone, as the FAT32 layer does (FAT has no links, so the
 * lexical parent is the real one). The longest mount point that is a
 * prefix of the result, on a component boundary, picks the filesystem,
 * which gets the rest of the path ("/dev/null" -> devfs, "/null"). A mount
 * point behaves as a directory that cannot be removed or renamed.
 *
 * One difference from Linux follows from resolving by text: "file/.." is
 * the directory holding file, where Linux says -ENOTDIR. A trailing slash
 * is kept as a demand for a directory: "file/" is -ENOTDIR.
 *
 * Locking: the mount table is filled at boot and read-only afterwards;
 * each filesystem serialises itself (FAT32: storage_lock()).
 * Context: task.
 * See: docs/storage.md
 */
#include "fs/vfs.h"

#include <ember/errno.h>
#include <ember/fcntl.h>
#include <ember/stat.h>

#include "fs/devfs.h"
#include "fs/fatfs.h"
#include "fs/file.h"
#include "fs/storage.h"
#include "lib/portable.h"

#define FNV_OFFSET 0xcbf29ce484222325ull /* FNV-1a, 64-bit */
#define FNV_PRIME  0x100000001b3ull

struct mount {
    char point[VFS_PATH_MAX];
    size_t len;
    const struct vfs_fs *fs;
};

/* Filled at boot by vfs_mount(), then read-only. */
static struct {
    struct mount mounts[VFS_MOUNTS_MAX];
    int count;
} vfs;

/* Appends one component to out (length *len); -ENAMETOOLONG if full. */
static int push(char *out, size_t *len, const char *c, size_t n)
{
    if (*len + 1 + n + 1 > VFS_PATH_MAX)
        return -ENAMETOOLONG;
    if (*len > 1) /* the root's slash is already there */
        out[(*len)++] = '/';
    memcpy(out + *len, c, n);
    *len += n;
    out[*len] = '\0';
    return 0;
}

static void pop(char *out, size_t *len)
{
    while (*len > 1 && out[*len - 1] != '/')
        (*len)--;
    if (*len > 1)
        (*len)--; /* the slash, unless it is the root's */
    out[*len] = '\0';
}

/* Walks the components of p onto out. */
static int walk(char *out, size_t *len, const char *p)
{
    while (*p) {
        while (*p == '/')
            p++;
        const char *c = p;
        while (*p && *p != '/')
            p++;
        size_t n = (size_t)(p - c);
        if (n == 0 || (n == 1 && c[0] == '.'))
            continue;
        if (n == 2 && c[0] == '.' && c[1] == '.') {
            pop(out, len);
            continue;
        }
        int err = push(out, len, c, n);
        if (err < 0)
            return err;
    }
    return 0;
}

int vfs_resolve(const char *cwd, const char *path, char *out)
{
    size_t len = 1;

    if (path[0] == '\0')
        return -ENOENT;
    if (strnlen(path, VFS_PATH_MAX) >= VFS_PATH_MAX)
        return -ENAMETOOLONG;
    out[0] = '/';
    out[1] = '\0';
    if (path[0] != '/') {
        int err = walk(out, &len, cwd ? cwd : "/");
        if (err < 0)
            return err;
    }
    return walk(out, &len, path);
}

/* True if path ends in a slash after a name ("a/", "a/."): a directory. */
static bool wants_dir(const char *path)
{
    size_t n = strlen(path);
    return n > 1 &&
           (path[n - 1] == '/' || (path[n - 1] == '.' && path[n - 2] == '/'));
}

int vfs_mount(const char *point, const struct vfs_fs *fs)
{
    size_t n = strnlen(point, VFS_PATH_MAX);
    if (n >= VFS_PATH_MAX)
        return -ENAMETOOLONG;
    for (int i = 0; i < vfs.count; i++) {
        if (strcmp(vfs.mounts[i].point, point) == 0)
            return -EBUSY;
    }
    if (vfs.count == VFS_MOUNTS_MAX)
        return -ENOMEM;
    struct mount *m = &vfs.mounts[vfs.count++];
    memcpy(m->point, point, n + 1);
    m->len = n;
    m->fs = fs;
    return 0;
}

/*
 * The filesystem for an absolute, normalised path, and the path below its
 * mount point in *rel. -ENOENT when nothing is mounted there (no root).
 */
static int lookup(const char *abs, const struct vfs_fs **fs, const char **rel)
{
    const struct mount *best = NULL;
    for (int i = 0; i < vfs.count; i++) {
        const struct mount *m = &vfs.mounts[i];
        bool root = m->len == 1;
        if (strncmp(abs, m->point, m->len) != 0)
            continue;
        if (!root && abs[m->len] != '\0' && abs[m->len] != '/')
            continue; /* "/devices" is not under "/dev" */
        if (best == NULL || m->len > best->len)
            best = m;
    }
    if (best == NULL)
        return -ENOENT;
    *fs = best->fs;
    *rel = best->len == 1 ? abs : (abs[best->len] ? abs + best->len : "/");
    return 0;
}

/* Resolves and looks up in one step; *mount_root when rel is a mount. */
static int find(const char *cwd, const char *path, char *abs,
                const struct vfs_fs **fs, const char **rel, bool *mount_root)
{
    int err = vfs_resolve(cwd, path, abs);
    if (err < 0)
        return err;
    err = lookup(abs, fs, rel);
    if (err < 0)
        return err;
    *mount_root = strcmp(*rel, "/") == 0;
    return 0;
}

int vfs_open(const char *cwd, const char *path, int flags, struct file **out)
{
    char abs[VFS_PATH_MAX];
    const struct vfs_fs *fs;
    const char *rel;
    bool top;

    int err = find(cwd, path, abs, &fs, &rel, &top);
    if (err < 0)
        return err;
    if (wants_dir(path))
        flags |= O_DIRECTORY;
    err = fs->open(rel, flags & ~(O_CLOEXEC | O_NOCTTY | O_LARGEFILE), out);
    if (err < 0)
        return err;
    /* Kept for the *at() calls, which resolve relative to a descriptor. */
    size_t len = strlen(abs) + 1;
    (*out)->path = kmalloc(len);
    if ((*out)->path)
        memcpy((*out)->path, abs, len);
    return 0;
}

int vfs_stat(const char *cwd, const char *path, struct stat *st)
{
    char abs[VFS_PATH_MAX];
    const struct vfs_fs *fs;
    const char *rel;
    bool top;

    int err = find(cwd, path, abs, &fs, &rel, &top);
    if (err < 0)
        return err;
    err = fs->stat(rel, st);
    if (err == 0 && wants_dir(path) && (st->st_mode & S_IFMT) != S_IFDIR)
        return -ENOTDIR;
    return err;
}

/* The common shape of mkdir, unlink, rmdir and truncate. */
static int change(const char *cwd, const char *path, int op, uint64_t size)
{
    char abs[VFS_PATH_MAX];
    const struct vfs_fs *fs;
    const char *rel;
    bool top;

    int err = find(cwd, path, abs, &fs, &rel, &top);
    if (err < 0)
        return err;
    switch (op) {
    case 'm':
        if (top)
            return -EEXIST;
        return fs->mkdir ? fs->mkdir(rel) : -EROFS;
    case 'u':
        if (top)
            return -EISDIR;
        return fs->unlink ? fs->unlink(rel) : -EROFS;
    case 'r':
        if (top)
            return -EBUSY;
        return fs->rmdir ? fs->rmdir(rel) : -EROFS;
    default:
        if (top)
            return -EISDIR;
        return fs->truncate ? fs->truncate(rel, size) : -EROFS;
    }
}

int vfs_mkdir(const char *cwd, const char *path)
{
    return change(cwd, path, 'm', 0);
}

int vfs_unlink(const char *cwd, const char *path)
{
    return change(cwd, path, 'u', 0);
}

int vfs_rmdir(const char *cwd, const char *path)
{
    return change(cwd, path, 'r', 0);
}

int vfs_truncate(const char *cwd, const char *path, uint64_t size)
{
    return change(cwd, path, 't', size);
}

int vfs_rename(const char *cwd, const char *from, const char *to)
{
    char abs_from[VFS_PATH_MAX], abs_to[VFS_PATH_MAX];
    const struct vfs_fs *fs_from, *fs_to;
    const char *rel_from, *rel_to;
    bool top_from, top_to;

    int err = find(cwd, from, abs_from, &fs_from, &rel_from, &top_from);
    if (err < 0)
        return err;
    err = find(cwd, to, abs_to, &fs_to, &rel_to, &top_to);
    if (err < 0)
        return err;
    if (top_from || top_to)
        return -EBUSY;
    if (fs_from != fs_to)
        return -EXDEV;
    return fs_from->rename ? fs_from->rename(rel_from, rel_to) : -EROFS;
}

int vfs_statfs(const char *cwd, const char *path, uint64_t *total,
               uint64_t *free)
{
    char abs[VFS_PATH_MAX];
    const struct vfs_fs *fs;
    const char *rel;
    bool top;
    struct stat st;

    int err = find(cwd, path, abs, &fs, &rel, &top);
    if (err < 0)
        return err;
    err = fs->stat(rel, &st); /* statfs of a missing path is -ENOENT */
    if (err < 0)
        return err;
    *total = *free = 0;
    return fs->statfs ? fs->statfs(total, free) : 0;
}

int vfs_sync(void)
{
    int first = 0;
    for (int i = 0; i < vfs.count; i++) {
        const struct vfs_fs *fs = vfs.mounts[i].fs;
        int err = fs->sync ? fs->sync() : 0;
        if (err < 0 && first == 0)
            first = err;
    }
    return first;
}

uint64_t vfs_ino(const char *path)
{
    uint64_t h = FNV_OFFSET;
    for (const char *p = path; *p; p++) {
        char c = *p;
        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a'); /* FAT's lookups ignore ASCII case */
        h = (h ^ (uint8_t)c) * FNV_PRIME;
    }
    return h ? h : 1;
}

/*
 * A mount point shows in its parent's listing only if the parent has a
 * directory of that name, so the root volume gets one the first time.
 */
static void make_mount_dir(const char *point)
{
    struct stat st;
    if (fatfs_fs.stat(point, &st) == -ENOENT && fatfs_fs.mkdir(point) == 0)
        klog(LOG_INFO, "vfs: made %s on the root volume to mount over", point);
}

int vfs_init(void)
{
    int err = storage_init();
    if (err == 0) {
        vfs_mount("/", &fatfs_fs);
        make_mount_dir("/dev");
        make_mount_dir("/proc");
    }
    vfs_mount("/dev", &devfs_fs);
    return err; /* /proc is mounted by proc_init(), a floor up */
}
