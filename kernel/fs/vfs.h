/*
 * The VFS: one tree of names over several filesystems.
 *
 * FAT32 on the disk is mounted at `/`; `/dev` (console, tty, null, zero)
 * and `/proc` (meminfo, uptime, one directory per process) are small
 * filesystems of the kernel's own, mounted over directories of the same
 * name. Paths given to the vfs_* calls are kernel strings, absolute or
 * relative to `cwd` (an absolute, normalised path); `.` and `..` are
 * resolved here, by text, before any filesystem sees the path.
 *
 * Errors are the FAT32 layer's, unchanged: -ENOENT, -EEXIST, -ENOTDIR,
 * -EISDIR, -ENOTEMPTY, -ENOSPC, -EIO, -EINVAL, -ENAMETOOLONG, -EXDEV
 * (rename across filesystems), -EROFS (writing /proc).
 *
 * Locking: each filesystem serialises itself (FAT32: one volume mutex).
 * Context: task; every call may sleep.
 * See: docs/storage.md
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

struct file;
struct stat;

#define VFS_PATH_MAX 256

/* Mounts the root filesystem from the first ATA disk. Boot, in a task. */
int vfs_init(void);

/*
 * Joins cwd and path, resolving `.`, `..` and repeated slashes, into out
 * (VFS_PATH_MAX bytes). 0, -ENAMETOOLONG, -ENOENT for an empty path.
 */
int vfs_resolve(const char *cwd, const char *path, char *out);

/*
 * Opens with Linux O_* flags (O_CREAT, O_EXCL, O_TRUNC, O_APPEND,
 * O_DIRECTORY, O_NONBLOCK; O_LARGEFILE, O_NOCTTY and O_CLOEXEC are accepted
 * and ignored here: close-on-exec belongs to the descriptor).
 */
int vfs_open(const char *cwd, const char *path, int flags, struct file **out);
int vfs_stat(const char *cwd, const char *path, struct stat *st);
int vfs_mkdir(const char *cwd, const char *path);
int vfs_unlink(const char *cwd, const char *path);
int vfs_rmdir(const char *cwd, const char *path);
int vfs_rename(const char *cwd, const char *from, const char *to);
int vfs_truncate(const char *cwd, const char *path, uint64_t size);

/* Free and total bytes of the filesystem holding path. */
int vfs_statfs(const char *cwd, const char *path, uint64_t *total,
               uint64_t *free);

/* Writes every dirty block to the disk and flushes its cache. */
int vfs_sync(void);

/* ---- for filesystems ---- */

/*
 * What a filesystem gives the VFS. Paths handed to these are the part
 * below the mount point, absolute and normalised ("/", "/a/b"). A NULL
 * operation that would change the tree fails with -EROFS; a NULL statfs or
 * sync counts as nothing to report or to write.
 */
struct vfs_fs {
    const char *name;
    int (*open)(const char *path, int flags, struct file **out);
    int (*stat)(const char *path, struct stat *st);
    int (*mkdir)(const char *path);
    int (*unlink)(const char *path);
    int (*rmdir)(const char *path);
    int (*rename)(const char *from, const char *to);
    int (*truncate)(const char *path, uint64_t size);
    int (*statfs)(uint64_t *total, uint64_t *free);
    int (*sync)(void);
};

#define VFS_MOUNTS_MAX 4

/*
 * Mounts fs at point (an absolute, normalised path: "/", "/dev"). Returns
 * 0, -EBUSY if something is mounted there, or -ENOMEM if the table is full.
 * Boot.
 */
int vfs_mount(const char *point, const struct vfs_fs *fs);

/* st_ino for a path: a hash of it, never 0 (FAT32 has no inode numbers). */
uint64_t vfs_ino(const char *path);
