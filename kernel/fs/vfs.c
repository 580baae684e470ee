/*
 * The VFS: paths walked one name at a time, and a table of mounted
 * filesystems.
 *
 * vfs_resolve() walks a path from a node (the caller's working directory,
 * or the root) into one absolute, normalised path: `.` stays, `..` goes up
 * (at a mount's root to the folder it is mounted on: the mount point's
 * parent), and after each name the filesystem holding it may say the name
 * is a symbolic link, whose text is then walked in its place (at most
 * VFS_LINKS_MAX times, then -ELOOP). Only a path argument is limited to
 * PATH_MAX; the walk's result grows on the heap, so a file deep below the
 * working directory is reached by a short relative path even when its
 * absolute path is longer than PATH_MAX. The longest mount point that is a
 * prefix of the result, on a component boundary, picks the filesystem,
 * which gets the rest of the path ("/dev/null" -> devfs, "/null"). A mount
 * point behaves as a directory that cannot be removed or renamed.
 *
 * A working directory is a struct vfs_node: the path it was reached by,
 * shared and counted. FAT32 has no inode numbers and finds a directory by
 * its path below the mount, so the path is the node's identity.
 *
 * One difference from Linux follows from resolving `..` by the walk's own
 * record: "file/.." is the directory holding file, where Linux says
 * -ENOTDIR. A trailing slash is kept as a demand for a directory: "file/"
 * is -ENOTDIR.
 *
 * Links, modes and times go to the filesystem holding the name; one that
 * has none of them (FAT32, /dev, /proc) refuses as Linux's VFS does for
 * such a filesystem (link and symlink -EPERM), or keeps what it can
 * (FAT32's read-only attribute for chmod, fatfs.c).
 *
 * Locking: the mount table is vfs_mount.c's, held for one operation;
 * nodes are immutable once made, their counts changed atomically; each
 * filesystem serialises itself (FAT32: storage_lock(); tmpfs: its own).
 * Context: task.
 * See: docs/storage.md
 */
#include "fs/vfs.h"

#include <ember/errno.h>
#include <ember/fcntl.h>
#include <ember/stat.h>

#include <ember/time.h>

#include "drivers/rtc.h"
#include "fs/devfs.h"
#include "fs/fatfs.h"
#include "fs/file.h"
#include "fs/storage.h"
#include "fs/tmpfs.h"
#include "fs/vfs_mount.h"
#include "lib/portable.h"

#define FNV_OFFSET 0xcbf29ce484222325ull /* FNV-1a, 64-bit */
#define FNV_PRIME  0x100000001b3ull

#define WALK_START        256 /* the walk's first buffer; it doubles as needed */
#define LINK_MODE         0777
#define MODE_BITS         07777
#define NS_PER_SEC        1000000000ll
#define UTIME_NOW         ((1l << 30) - 1l) /* Linux's <linux/stat.h> */
#define UTIME_OMIT        ((1l << 30) - 2l)
#define OPEN_MODE_DEFAULT 0644 /* vfs_open(): the kernel's own creations */
#define ROOT_SOURCE       "/dev/sda1" /* makedev(8, 1), as fatfs.c's st_dev */

/* ---- nodes ---- */

struct vfs_node *vfs_node_new(const char *abs)
{
    size_t len = strlen(abs);
    struct vfs_node *n = kmalloc(sizeof *n + len + 1);
    if (n == NULL)
        return NULL;
    n->refs = 1;
    n->len = len;
    memcpy(n->path, abs, len + 1);
    return n;
}

struct vfs_node *vfs_node_get(struct vfs_node *n)
{
    if (n)
        __atomic_fetch_add(&n->refs, 1, __ATOMIC_RELAXED);
    return n;
}

void vfs_node_put(struct vfs_node *n)
{
    if (n && __atomic_sub_fetch(&n->refs, 1, __ATOMIC_ACQ_REL) == 0)
        kfree(n);
}

const char *vfs_node_path(const struct vfs_node *n)
{
    return n ? n->path : "/";
}

/* ---- the walk ---- */

/* The absolute path built so far, on the heap. */
struct walk {
    char *buf;
    size_t len, cap;
};

static int grow(struct walk *w, size_t need)
{
    if (need <= w->cap)
        return 0;
    if (need > VFS_TREE_MAX)
        return -ENAMETOOLONG;
    size_t cap = w->cap;
    while (cap < need)
        cap *= 2;
    char *bigger = kmalloc(cap);
    if (bigger == NULL)
        return -ENOMEM;
    memcpy(bigger, w->buf, w->len + 1);
    kfree(w->buf);
    w->buf = bigger;
    w->cap = cap;
    return 0;
}

/* Appends one name to the walk. */
static int push(struct walk *w, const char *c, size_t n)
{
    int err = grow(w, w->len + 1 + n + 1);
    if (err < 0)
        return err;
    if (w->len > 1) /* the root's slash is already there */
        w->buf[w->len++] = '/';
    memcpy(w->buf + w->len, c, n);
    w->len += n;
    w->buf[w->len] = '\0';
    return 0;
}

/* Drops the last name: ".." (the root's parent is the root). */
static void pop(struct walk *w)
{
    while (w->len > 1 && w->buf[w->len - 1] != '/')
        w->len--;
    if (w->len > 1)
        w->len--; /* the slash, unless it is the root's */
    w->buf[w->len] = '\0';
}

/*
 * Asks the filesystem holding abs whether it is a link: the length of its
 * text in *text (kmalloc'd on first use, VFS_PATH_MAX bytes), 0 if it is
 * not a link, or an error.
 */
static int link_text(const char *abs, char **text)
{
    const struct vfs_fs *fs;
    const char *rel;
    struct vfs_mount *m;
    if (vfs_mount_find(abs, &m, &fs, &rel) < 0)
        return 0;
    if (fs->readlink == NULL) {
        vfs_mount_put(m);
        return 0;
    }
    if (*text == NULL && (*text = kmalloc(VFS_PATH_MAX)) == NULL) {
        vfs_mount_put(m);
        return -ENOMEM;
    }
    int n = fs->readlink(fs, rel, *text, VFS_PATH_MAX - 1);
    vfs_mount_put(m);
    if (n == -EINVAL || n == -ENOENT)
        return 0; /* not a link, or nothing there: the caller will see */
    if (n == 0)
        return -ENOENT; /* an empty link names nothing */
    if (n > 0)
        (*text)[n] = '\0';
    return n;
}

/*
 * Puts a link's text in front of what is left of the path: a new string
 * (the old one freed if *owned), for the walk to go on with.
 */
static int splice(const char *text, const char *rest, char **input, bool *owned)
{
    size_t tn = strlen(text), rn = strlen(rest);
    if (tn + 1 + rn + 1 > VFS_TREE_MAX)
        return -ENAMETOOLONG;
    char *s = kmalloc(tn + 1 + rn + 1);
    if (s == NULL)
        return -ENOMEM;
    memcpy(s, text, tn);
    s[tn] = '/';
    memcpy(s + tn + 1, rest, rn + 1);
    if (*owned)
        kfree(*input);
    *input = s;
    *owned = true;
    return 0;
}

/* Walks the names of input onto w, following links as flags say. */
static int walk_names(struct walk *w, const char *path, int flags)
{
    char *input = (char *)path, *text = NULL;
    bool owned = false;
    int links = 0, err = 0;
    const char *p = input;

    while (*p && err == 0) {
        while (*p == '/')
            p++;
        const char *c = p;
        while (*p && *p != '/')
            p++;
        size_t n = (size_t)(p - c);
        const char *after = p;
        while (*after == '/')
            after++;
        bool last = *after == '\0';
        if (n == 0 || (n == 1 && c[0] == '.'))
            continue;
        if (n == 2 && c[0] == '.' && c[1] == '.') {
            pop(w);
            continue;
        }
        if (n > VFS_NAME_MAX) {
            err = -ENAMETOOLONG;
            break;
        }
        err = push(w, c, n);
        if (err < 0 || (last && (flags & VFS_NOFOLLOW) && *p != '/'))
            break;
        int len = link_text(w->buf, &text);
        if (len <= 0) {
            err = len;
            continue;
        }
        if (++links > VFS_LINKS_MAX) {
            err = -ELOOP;
            break;
        }
        pop(w); /* the link's own name: its text goes in its place */
        if (text[0] == '/') {
            w->len = 1;
            w->buf[1] = '\0';
        }
        err = splice(text, p, &input, &owned);
        p = input;
    }
    kfree(text);
    if (owned)
        kfree(input);
    return err;
}

int vfs_resolve(const struct vfs_node *at, const char *path, int flags,
                char **out)
{
    if (path[0] == '\0')
        return -ENOENT;
    if (strnlen(path, VFS_PATH_MAX) >= VFS_PATH_MAX)
        return -ENAMETOOLONG;
    const char *base = path[0] == '/' ? "/" : vfs_node_path(at);
    size_t len = strlen(base), cap = WALK_START;
    while (cap < len + 1)
        cap *= 2;
    struct walk w = {.buf = kmalloc(cap), .len = len, .cap = cap};
    if (w.buf == NULL)
        return -ENOMEM;
    memcpy(w.buf, base, w.len + 1); /* a node's path is normalised already */
    int err = walk_names(&w, path, flags);
    if (err < 0) {
        kfree(w.buf);
        return err;
    }
    *out = w.buf;
    return 0;
}
/* True if path ends in a slash after a name ("a/", "a/."): a directory. */
static bool wants_dir(const char *path)
{
    size_t n = strlen(path);
    return n > 1 &&
           (path[n - 1] == '/' || (path[n - 1] == '.' && path[n - 2] == '/'));
}

/* A path walked and looked up: free abs with kfree() when done. */
struct found {
    char *abs;
    struct vfs_mount *mount; /* held until lose() */
    const struct vfs_fs *fs;
    const char *rel;
    bool top; /* rel is a mount's root */
};

static int find(const struct vfs_node *at, const char *path, int flags,
                struct found *out)
{
    int err = vfs_resolve(at, path, flags, &out->abs);
    if (err < 0)
        return err;
    err = vfs_mount_find(out->abs, &out->mount, &out->fs, &out->rel);
    if (err < 0) {
        kfree(out->abs);
        return err;
    }
    out->top = strcmp(out->rel, "/") == 0;
    return 0;
}

/* Lets go of what find() took; returns err, for a tail call. */
static int lose(struct found *fd, int err)
{
    vfs_mount_put(fd->mount);
    kfree(fd->abs);
    return err;
}

int vfs_open(const struct vfs_node *at, const char *path, int flags,
             struct file **out)
{
    return vfs_open_mode(at, path, flags, OPEN_MODE_DEFAULT, out);
}

int vfs_open_mode(const struct vfs_node *at, const char *path, int flags,
                  uint32_t mode, struct file **out)
{
    struct found fd;
    /*
     * A link as the last name is not followed for O_NOFOLLOW (-ELOOP) nor
     * for O_CREAT|O_EXCL (-EEXIST: the name exists), as Linux does.
     */
    bool excl = (flags & O_CREAT) && (flags & O_EXCL);
    bool nofollow = (flags & O_NOFOLLOW) || excl;
    int err = find(at, path, nofollow ? VFS_NOFOLLOW : 0, &fd);
    if (err < 0)
        return err;
    if (nofollow) {
        char *text = NULL;
        err = link_text(fd.abs, &text);
        kfree(text);
        if (err != 0)
            return lose(&fd, err < 0 ? err : excl ? -EEXIST : -ELOOP);
    }
    if (wants_dir(path))
        flags |= O_DIRECTORY;
    err =
        fd.fs->open(fd.fs, fd.rel,
                    flags & ~(O_CLOEXEC | O_NOCTTY | O_LARGEFILE | O_NOFOLLOW),
                    mode & MODE_BITS, out);
    if (err < 0)
        return lose(&fd, err);
    /* Kept for the *at() calls, which resolve relative to a descriptor. */
    vfs_mount_put(fd.mount);
    (*out)->path = fd.abs;
    return 0;
}

static int stat_flags(const struct vfs_node *at, const char *path, int flags,
                      struct stat *st)
{
    struct found fd;
    int err = find(at, path, flags, &fd);
    if (err < 0)
        return err;
    char *text = NULL;
    int link = (flags & VFS_NOFOLLOW) ? link_text(fd.abs, &text) : 0;
    if (link > 0 && fd.fs->symlink) { /* it describes its own links */
        err = fd.fs->stat(fd.fs, fd.rel, st);
    } else if (link > 0) {
        memset(st, 0, sizeof *st);
        st->st_ino = vfs_ino(fd.abs);
        st->st_mode = S_IFLNK | LINK_MODE;
        st->st_nlink = 1;
        st->st_size = link;
        err = 0;
    } else {
        err = link < 0 ? link : fd.fs->stat(fd.fs, fd.rel, st);
    }
    kfree(text);
    lose(&fd, 0);
    if (err == 0 && wants_dir(path) && (st->st_mode & S_IFMT) != S_IFDIR)
        return -ENOTDIR;
    return err;
}

int vfs_stat(const struct vfs_node *at, const char *path, struct stat *st)
{
    return stat_flags(at, path, 0, st);
}

int vfs_lstat(const struct vfs_node *at, const char *path, struct stat *st)
{
    return stat_flags(at, path, VFS_NOFOLLOW, st);
}

long vfs_readlink(const struct vfs_node *at, const char *path, char *buf,
                  size_t size)
{
    struct found fd;
    int err = find(at, path, VFS_NOFOLLOW, &fd);
    if (err < 0)
        return err;
    char *text = NULL;
    int n = link_text(fd.abs, &text);
    if (n == 0) { /* not a link: -EINVAL if it exists at all */
        struct stat st;
        n = fd.fs->stat(fd.fs, fd.rel, &st);
        n = n < 0 ? n : -EINVAL;
    }
    lose(&fd, 0);
    if (n > 0) {
        if ((size_t)n > size)
            n = (int)size;
        memcpy(buf, text, (size_t)n);
    }
    kfree(text);
    return n;
}

int vfs_chdir(const struct vfs_node *at, const char *path,
              struct vfs_node **out)
{
    struct found fd;
    struct stat st;
    int err = find(at, path, 0, &fd);
    if (err < 0)
        return err;
    err = fd.fs->stat(fd.fs, fd.rel, &st);
    if (err == 0 && (st.st_mode & S_IFMT) != S_IFDIR)
        err = -ENOTDIR;
    if (err == 0 && (*out = vfs_node_new(fd.abs)) == NULL)
        err = -ENOMEM;
    return lose(&fd, err);
}

enum change_op { CHANGE_MKDIR, CHANGE_UNLINK, CHANGE_RMDIR, CHANGE_TRUNCATE };

/* The common shape of mkdir, unlink, rmdir and truncate. */
static int change(const struct vfs_node *at, const char *path,
                  enum change_op op, uint64_t size)
{
    struct found fd;
    int err = find(at, path, op == CHANGE_TRUNCATE ? 0 : VFS_NOFOLLOW, &fd);
    if (err < 0)
        return err;
    const struct vfs_fs *fs = fd.fs;
    switch (op) {
    case CHANGE_MKDIR:
        err = fd.top      ? -EEXIST
              : fs->mkdir ? fs->mkdir(fs, fd.rel, (uint32_t)size & MODE_BITS)
                          : -EROFS;
        break;
    case CHANGE_UNLINK:
        err = fd.top ? -EISDIR : fs->unlink ? fs->unlink(fs, fd.rel) : -EROFS;
        break;
    case CHANGE_RMDIR:
        err = fd.top ? -EBUSY : fs->rmdir ? fs->rmdir(fs, fd.rel) : -EROFS;
        break;
    default:
        err = fd.top         ? -EISDIR
              : fs->truncate ? fs->truncate(fs, fd.rel, size)
                             : -EROFS;
    }
    return lose(&fd, err);
}

int vfs_mkdir(const struct vfs_node *at, const char *path, uint32_t mode)
{
    return change(at, path, CHANGE_MKDIR, mode); /* size carries the mode */
}

int vfs_unlink(const struct vfs_node *at, const char *path)
{
    return change(at, path, CHANGE_UNLINK, 0);
}

int vfs_rmdir(const struct vfs_node *at, const char *path)
{
    return change(at, path, CHANGE_RMDIR, 0);
}

int vfs_truncate(const struct vfs_node *at, const char *path, uint64_t size)
{
    return change(at, path, CHANGE_TRUNCATE, size);
}

int vfs_rename(const struct vfs_node *at_from, const char *from,
               const struct vfs_node *at_to, const char *to)
{
    struct found a, b;
    int err = find(at_from, from, VFS_NOFOLLOW, &a);
    if (err < 0)
        return err;
    err = find(at_to, to, VFS_NOFOLLOW, &b);
    if (err < 0)
        return lose(&a, err);
    if (a.top || b.top)
        err = -EBUSY;
    else if (a.fs != b.fs)
        err = -EXDEV;
    else
        err = a.fs->rename ? a.fs->rename(a.fs, a.rel, b.rel) : -EROFS;
    lose(&b, 0);
    return lose(&a, err);
}

int vfs_statfs(const struct vfs_node *at, const char *path,
               struct vfs_statfs *out)
{
    struct found fd;
    struct stat st;
    int err = find(at, path, 0, &fd);
    if (err < 0)
        return err;
    err = fd.fs->stat(fd.fs, fd.rel, &st); /* a missing path is -ENOENT */
    if (err == 0) {
        memset(out, 0, sizeof *out);
        out->magic = fd.fs->magic;
        err = fd.fs->statfs ? fd.fs->statfs(fd.fs, out) : 0;
    }
    return lose(&fd, err);
}

/* ---- links, modes, owners and times ---- */

/*
 * find() for a name about to be made (symlink, mknod): the last name is
 * not followed, and a mount's root already exists (-EEXIST, nothing held).
 */
static int find_new(const struct vfs_node *at, const char *path,
                    struct found *fd)
{
    int err = find(at, path, VFS_NOFOLLOW, fd);
    if (err == 0 && fd->top)
        err = lose(fd, -EEXIST);
    return err;
}

int vfs_symlink(const char *target, const struct vfs_node *at, const char *path)
{
    struct found fd;
    if (target[0] == '\0')
        return -ENOENT; /* Linux refuses an empty link text */
    if (strnlen(target, VFS_PATH_MAX) >= VFS_PATH_MAX)
        return -ENAMETOOLONG;
    int err = find_new(at, path, &fd);
    if (err < 0)
        return err;
    err = fd.fs->symlink ? fd.fs->symlink(fd.fs, target, fd.rel) : -EPERM;
    return lose(&fd, err);
}

int vfs_mknod(const struct vfs_node *at, const char *path, uint32_t mode,
              uint64_t dev)
{
    struct found fd;
    int err = find_new(at, path, &fd);
    if (err < 0)
        return err;
    err = fd.fs->mknod ? fd.fs->mknod(fd.fs, fd.rel, mode, dev) : -EPERM;
    return lose(&fd, err);
}

int vfs_link(const struct vfs_node *at_from, const char *from,
             const struct vfs_node *at_to, const char *to, int flags)
{
    struct found a, b;
    int err = find(at_from, from, flags, &a);
    if (err < 0)
        return err;
    err = find(at_to, to, VFS_NOFOLLOW, &b);
    if (err < 0)
        return lose(&a, err);
    if (a.top)
        err = -EPERM; /* a directory: no hard links */
    else if (b.top)
        err = -EEXIST;
    else if (a.fs != b.fs)
        err = -EXDEV;
    else
        err = a.fs->link ? a.fs->link(a.fs, a.rel, b.rel) : -EPERM;
    lose(&b, 0);
    return lose(&a, err);
}

int vfs_chmod(const struct vfs_node *at, const char *path, uint32_t mode,
              int flags)
{
    struct found fd;
    int err = find(at, path, flags, &fd);
    if (err < 0)
        return err;
    if (fd.fs->chmod) {
        err = fd.fs->chmod(fd.fs, fd.rel, mode & MODE_BITS);
    } else {
        struct stat st; /* it must exist; then Linux says -EPERM */
        err = fd.fs->stat(fd.fs, fd.rel, &st);
        err = err < 0 ? err : -EPERM;
    }
    return lose(&fd, err);
}

int vfs_chown(const struct vfs_node *at, const char *path, uint32_t uid,
              uint32_t gid, int flags)
{
    struct found fd;
    int err = find(at, path, flags, &fd);
    if (err < 0)
        return err;
    if (fd.fs->chown) {
        err = fd.fs->chown(fd.fs, fd.rel, uid, gid);
    } else {
        struct stat st;
        err = fd.fs->stat(fd.fs, fd.rel, &st);
        err = err < 0 ? err : -EPERM;
    }
    return lose(&fd, err);
}

/* A time from utimensat's pair: now, left alone (0), or as given. */
static int pick_time(const struct timespec *t, const struct timespec *old,
                     struct timespec *out)
{
    if (t == NULL || t->tv_nsec == UTIME_NOW) {
        uint64_t ns = rtc_realtime_ns();
        out->tv_sec = (int64_t)(ns / NS_PER_SEC);
        out->tv_nsec = (int64_t)(ns % NS_PER_SEC);
    } else if (t->tv_nsec == UTIME_OMIT) {
        *out = *old;
    } else if (t->tv_nsec < 0 || t->tv_nsec >= NS_PER_SEC) {
        return -EINVAL;
    } else {
        *out = *t;
    }
    return 0;
}

int vfs_utimens(const struct vfs_node *at, const char *path,
                const struct timespec *times, int flags)
{
    struct found fd;
    struct stat st;
    struct timespec a, m;
    int err = find(at, path, flags, &fd);
    if (err < 0)
        return err;
    err = fd.fs->stat(fd.fs, fd.rel, &st);
    if (err == 0)
        err = pick_time(times ? &times[0] : NULL, &st.st_atim, &a);
    if (err == 0)
        err = pick_time(times ? &times[1] : NULL, &st.st_mtim, &m);
    if (err == 0 && fd.fs->utimens)
        err = fd.fs->utimens(fd.fs, fd.rel, &a, &m);
    return lose(&fd, err);
}

static uint64_t hash_more(uint64_t h, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a'); /* FAT's lookups ignore ASCII case */
        h = (h ^ (uint8_t)c) * FNV_PRIME;
    }
    return h;
}

uint64_t vfs_ino(const char *path)
{
    uint64_t h = hash_more(FNV_OFFSET, path, strlen(path));
    return h ? h : 1;
}

uint64_t vfs_ino_child(const char *dir, const char *name)
{
    size_t n = strlen(dir);
    uint64_t h;
    if (strcmp(name, "..") == 0) { /* the parent: dir up to its last slash */
        while (n > 1 && dir[n - 1] != '/')
            n--;
        h = hash_more(FNV_OFFSET, dir, n > 1 ? n - 1 : n);
    } else if (strcmp(name, ".") == 0) {
        h = hash_more(FNV_OFFSET, dir, n);
    } else {
        h = hash_more(FNV_OFFSET, dir, n);
        if (n > 1)
            h = hash_more(h, "/", 1);
        h = hash_more(h, name, strlen(name));
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
    int err = fatfs_fs.stat(&fatfs_fs, point, &st);
    if (err == -ENOENT) {
        err = fatfs_fs.mkdir(&fatfs_fs, point, LINK_MODE);
        if (err == 0)
            err = fatfs_fs.sync(&fatfs_fs); /* a failed write shows here */
        if (err == 0)
            klog(LOG_INFO, "vfs: made %s on the root volume to mount over",
                 point);
    }
    if (err < 0)
        klog(LOG_ERR,
             "vfs: cannot make %s on the root volume to mount over "
             "(error %d); it is mounted but not listed in /",
             point, err);
}

int vfs_init(void)
{
    int err = storage_init();
    if (err == 0) {
        vfs_mount("/", ROOT_SOURCE, &fatfs_fs);
        make_mount_dir("/dev");
        make_mount_dir("/proc");
        make_mount_dir("/tmp");
    }
    vfs_mount("/dev", "devtmpfs", &devfs_fs);
    const struct vfs_fs *tmp;
    int terr = tmpfs_new("", &tmp);
    if (terr == 0 && (terr = vfs_mount("/tmp", "tmpfs", tmp)) < 0)
        tmp->unmount(tmp);
    if (terr < 0)
        klog(LOG_ERR, "vfs: no tmpfs at /tmp (error %d)", terr);
    return err; /* /proc is mounted by proc_init(), a floor up */
}
