/*
 * The mount table: which filesystem holds which part of the tree, and the
 * mount(2), umount2(2) and /proc/mounts that change and show it.
 *
 * Boot mounts the root volume at "/", devfs at "/dev", procfs at "/proc"
 * and a tmpfs at "/tmp"; a user mounts more tmpfs instances with mount(2)
 * on any directory. An absolute path belongs to the longest mount point
 * that is a prefix of it on a name boundary ("/devices" is not under
 * "/dev").
 *
 * Every operation of the VFS holds the mount it works in (vfs_mount_find()
 * counts a user, vfs_mount_put() drops it), so umount2 can say -EBUSY
 * instead of freeing a filesystem under a running call; the filesystem
 * itself refuses while a file of it is open. Each mount is its own heap
 * block, so a held one never moves when the table changes.
 *
 * Locking: vfs_mounts.lock guards the table and the users counts; it is
 * held only for the table, never across a filesystem's operation (which
 * may sleep for long: a disk). Innermost but for the heap's.
 * Context: task.
 * See: docs/storage.md
 */
#include "fs/vfs_mount.h"

#include <ember/errno.h>
#include <ember/stat.h>

#include "fs/tmpfs.h"
#include "fs/vfs.h"
#include "lib/format.h"
#include "lib/portable.h"
#include "mm/kheap.h"
#include "sched/mutex.h"

#define OPTIONS_MAX 64 /* ",size=1234567k" and the like */
#define LINE_EXTRA  32 /* the type, "rw", spaces, "0 0" and the newline */

struct vfs_mount {
    char point[VFS_POINT_MAX];
    size_t len;
    char source[VFS_NAME_MAX + 1];
    const struct vfs_fs *fs;
    unsigned users; /* operations in flight (lock) */
};

static struct {
    struct mutex lock;
    struct vfs_mount *table[VFS_MOUNTS_MAX]; /* in mount order */
    int count;
} vfs_mounts = {.lock = MUTEX_INIT("vfs.mounts")};

/* True if point is abs or a prefix of it ending at a name. */
static bool holds(const struct vfs_mount *m, const char *abs)
{
    if (strncmp(abs, m->point, m->len) != 0)
        return false;
    return m->len == 1 || abs[m->len] == '\0' || abs[m->len] == '/';
}

int vfs_mount_find(const char *abs, struct vfs_mount **m,
                   const struct vfs_fs **fs, const char **rel)
{
    struct vfs_mount *best = NULL;
    mutex_lock(&vfs_mounts.lock);
    for (int i = 0; i < vfs_mounts.count; i++) {
        struct vfs_mount *c = vfs_mounts.table[i];
        if (holds(c, abs) && (best == NULL || c->len > best->len))
            best = c;
    }
    if (best)
        best->users++;
    mutex_unlock(&vfs_mounts.lock);
    if (best == NULL)
        return -ENOENT;
    *m = best;
    *fs = best->fs;
    *rel = best->len == 1 ? abs : (abs[best->len] ? abs + best->len : "/");
    return 0;
}

void vfs_mount_put(struct vfs_mount *m)
{
    if (m == NULL)
        return;
    mutex_lock(&vfs_mounts.lock);
    KASSERT(m->users > 0);
    m->users--;
    mutex_unlock(&vfs_mounts.lock);
}

int vfs_mount(const char *point, const char *source, const struct vfs_fs *fs)
{
    size_t n = strnlen(point, VFS_POINT_MAX);
    size_t sn = strnlen(source, VFS_NAME_MAX + 1);
    if (n >= VFS_POINT_MAX || sn > VFS_NAME_MAX)
        return -ENAMETOOLONG;
    struct vfs_mount *m = kmalloc(sizeof *m);
    if (m == NULL)
        return -ENOMEM;
    memcpy(m->point, point, n + 1);
    memcpy(m->source, source, sn + 1);
    m->len = n;
    m->fs = fs;
    m->users = 0;
    int err = 0;
    mutex_lock(&vfs_mounts.lock);
    for (int i = 0; i < vfs_mounts.count && err == 0; i++) {
        if (strcmp(vfs_mounts.table[i]->point, point) == 0)
            err = -EBUSY; /* Linux stacks mounts; one a place is enough */
    }
    if (err == 0 && vfs_mounts.count == VFS_MOUNTS_MAX)
        err = -ENOMEM;
    if (err == 0)
        vfs_mounts.table[vfs_mounts.count++] = m;
    mutex_unlock(&vfs_mounts.lock);
    if (err < 0)
        kfree(m);
    return err;
}

int vfs_mount_user(const struct vfs_node *at, const char *dir,
                   const char *source, const char *type, const char *options)
{
    if (strcmp(type, "tmpfs") != 0)
        return -ENODEV; /* Linux's word for a type it does not know */
    char *abs;
    struct stat st;
    int err = vfs_resolve(at, dir, 0, &abs);
    if (err < 0)
        return err;
    err = vfs_stat(NULL, abs, &st);
    if (err == 0 && (st.st_mode & S_IFMT) != S_IFDIR)
        err = -ENOTDIR;
    const struct vfs_fs *fs = NULL;
    if (err == 0)
        err = tmpfs_new(options, &fs);
    if (err == 0) {
        err = vfs_mount(abs, source, fs);
        if (err < 0)
            fs->unmount(fs);
    }
    kfree(abs);
    return err;
}

int vfs_umount(const struct vfs_node *at, const char *dir)
{
    char *abs;
    int err = vfs_resolve(at, dir, 0, &abs);
    if (err < 0)
        return err;
    size_t n = strlen(abs);
    int found = -1;
    err = 0;
    mutex_lock(&vfs_mounts.lock);
    for (int i = 0; i < vfs_mounts.count; i++) {
        const struct vfs_mount *m = vfs_mounts.table[i];
        if (strcmp(m->point, abs) == 0)
            found = i;
        else if (m->len > n && strncmp(m->point, abs, n) == 0 &&
                 (n == 1 || m->point[n] == '/'))
            err = -EBUSY; /* something is mounted below it */
    }
    struct vfs_mount *m = found < 0 ? NULL : vfs_mounts.table[found];
    if (m == NULL)
        err = -EINVAL; /* Linux: not a mount point */
    else if (err == 0 && (m->users > 0 || m->fs->unmount == NULL))
        err = -EBUSY;
    if (err == 0)
        err = m->fs->unmount(m->fs); /* tmpfs: quick, never sleeps long */
    if (err == 0) {
        for (int i = found; i + 1 < vfs_mounts.count; i++)
            vfs_mounts.table[i] = vfs_mounts.table[i + 1];
        vfs_mounts.count--;
    }
    mutex_unlock(&vfs_mounts.lock);
    if (err == 0)
        kfree(m);
    kfree(abs);
    return err;
}

size_t vfs_mounts_text(char *buf, size_t size)
{
    size_t used = 0;
    char opts[OPTIONS_MAX];
    char line[VFS_POINT_MAX + VFS_NAME_MAX + OPTIONS_MAX + LINE_EXTRA];
    mutex_lock(&vfs_mounts.lock);
    for (int i = 0; i < vfs_mounts.count; i++) {
        const struct vfs_mount *m = vfs_mounts.table[i];
        opts[0] = '\0';
        if (m->fs->options)
            m->fs->options(m->fs, opts, sizeof opts);
        int n = ksnprintf(line, sizeof line, "%s %s %s rw%s 0 0\n", m->source,
                          m->point, m->fs->name, opts);
        size_t len = n > 0 ? (size_t)n : 0;
        if (used < size)
            memcpy(buf + used, line, len < size - used ? len : size - used);
        used += len;
    }
    mutex_unlock(&vfs_mounts.lock);
    return used;
}

/*
 * Every mount in order, each held while fn runs on it without the table's
 * lock: sync and clean may sleep on the disk for long.
 */
static int each_fs(int (*fn)(const struct vfs_fs *fs, bool clean), bool clean)
{
    int first = 0;
    for (int i = 0;; i++) {
        mutex_lock(&vfs_mounts.lock);
        struct vfs_mount *m = i < vfs_mounts.count ? vfs_mounts.table[i] : 0;
        if (m)
            m->users++;
        mutex_unlock(&vfs_mounts.lock);
        if (m == NULL)
            break;
        int err = fn(m->fs, clean);
        vfs_mount_put(m);
        if (err < 0 && first == 0)
            first = err;
    }
    return first;
}

static int sync_one(const struct vfs_fs *fs, bool clean)
{
    if (clean && fs->clean)
        return fs->clean(fs);
    return fs->sync ? fs->sync(fs) : 0;
}

int vfs_sync(void)
{
    return each_fs(sync_one, false);
}

int vfs_sync_clean(void)
{
    return each_fs(sync_one, true);
}
