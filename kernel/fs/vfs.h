/*
 * The VFS: one tree of names over several filesystems.
 *
 * FAT32 on the disk is mounted at `/`; `/dev` (console, tty, null, zero)
 * and `/proc` (meminfo, uptime, one directory per process) are small
 * filesystems of the kernel's own, mounted over directories of the same
 * name. Paths given to the vfs_* calls are kernel strings, absolute or
 * relative to a node (a working directory); the walk here resolves `.`,
 * `..`, mount points and symbolic links before any filesystem sees the
 * path, which it gets absolute below its mount point.
 *
 * Errors are the FAT32 layer's, unchanged: -ENOENT, -EEXIST, -ENOTDIR,
 * -EISDIR, -ENOTEMPTY, -ENOSPC, -EIO, -EINVAL, -ENAMETOOLONG, -EXDEV
 * (rename across filesystems), -EROFS (writing /proc), -ELOOP.
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
struct timespec;
struct vfs_statfs;

#define VFS_PATH_MAX  4096  /* Linux's PATH_MAX: a path argument, with NUL */
#define VFS_NAME_MAX  255   /* Linux's NAME_MAX: one component, in bytes */
#define VFS_LINKS_MAX 40    /* links followed in one walk, as Linux's */
#define VFS_TREE_MAX  65536 /* the longest absolute path the walk builds */

/*
 * A place in the tree, held by reference: a working directory, or the
 * program a process runs. It is the absolute, normalised path the walk
 * reached it by (FAT32 has no inode numbers; a path below the mount is how
 * its files are found), shared by every holder and counted, so fork() and
 * the *at() calls take it without copying and without a length limit. NULL
 * stands for the root.
 */
struct vfs_node {
    uint32_t refs;
    size_t len;
    char path[];
};

/* A new node for an absolute, normalised path; NULL if out of memory. */
struct vfs_node *vfs_node_new(const char *abs);
/* Another reference to n (NULL stays NULL). Any context but interrupts. */
struct vfs_node *vfs_node_get(struct vfs_node *n);
/* Drops a reference; the last one frees the node. n may be NULL. */
void vfs_node_put(struct vfs_node *n);
/* The node's absolute path ("/" for NULL). */
const char *vfs_node_path(const struct vfs_node *n);

/* Mounts the root filesystem from the first ATA disk. Boot, in a task. */
int vfs_init(void);

#define VFS_NOFOLLOW 1 /* vfs_resolve(): a link as the last name is kept */

/*
 * Walks path from at (NULL: the root; an absolute path ignores it) one
 * component at a time: `.` stays, `..` goes up (from a mount's root to the
 * folder it is mounted on), a name that a filesystem calls a symbolic link
 * is replaced by the link's text (the last name too, unless VFS_NOFOLLOW).
 * *out gets the absolute, normalised result, kmalloc'd (kfree it).
 * 0, -ENOENT (an empty path), -ENAMETOOLONG (a path of VFS_PATH_MAX bytes
 * or more, a name over VFS_NAME_MAX, a result over VFS_TREE_MAX), -ELOOP
 * (more than VFS_LINKS_MAX links), -ENOMEM.
 */
int vfs_resolve(const struct vfs_node *at, const char *path, int flags,
                char **out);

/*
 * Opens with Linux O_* flags (O_CREAT, O_EXCL, O_TRUNC, O_APPEND,
 * O_DIRECTORY, O_NONBLOCK; O_LARGEFILE, O_NOCTTY and O_CLOEXEC are accepted
 * and ignored here: close-on-exec belongs to the descriptor). Every call
 * below resolves its path from `at` as vfs_resolve() does.
 */
int vfs_open(const struct vfs_node *at, const char *path, int flags,
             struct file **out);
/* As vfs_open(), with the permission bits a created file gets. */
int vfs_open_mode(const struct vfs_node *at, const char *path, int flags,
                  uint32_t mode, struct file **out);
int vfs_stat(const struct vfs_node *at, const char *path, struct stat *st);
/* As vfs_stat(), but a link as the last name is described, not followed. */
int vfs_lstat(const struct vfs_node *at, const char *path, struct stat *st);
/*
 * The text of the link path names, truncated to size bytes (no NUL), as
 * readlink(2): the count, -EINVAL if it is not a link, or the walk's error.
 */
long vfs_readlink(const struct vfs_node *at, const char *path, char *buf,
                  size_t size);
/* The directory path names, as a new node: chdir(). -ENOTDIR, ... */
int vfs_chdir(const struct vfs_node *at, const char *path,
              struct vfs_node **out);
int vfs_mkdir(const struct vfs_node *at, const char *path, uint32_t mode);
int vfs_unlink(const struct vfs_node *at, const char *path);
int vfs_rmdir(const struct vfs_node *at, const char *path);
int vfs_rename(const struct vfs_node *at_from, const char *from,
               const struct vfs_node *at_to, const char *to);
int vfs_truncate(const struct vfs_node *at, const char *path, uint64_t size);

/* statfs of the filesystem holding path. */
int vfs_statfs(const struct vfs_node *at, const char *path,
               struct vfs_statfs *out);

/*
 * Links and metadata, as their system calls. symlink: a new link at path
 * holding target. link: a new name `to` for `from` (-EXDEV across
 * filesystems; from is not followed if it is a link, as linkat() without
 * AT_SYMLINK_FOLLOW). chmod, chown and utimens follow a link as the last
 * name unless flags has VFS_NOFOLLOW. utimens: NULL times mean now, a
 * tv_nsec of UTIME_OMIT leaves that time.
 */
int vfs_symlink(const char *target, const struct vfs_node *at,
                const char *path);
int vfs_link(const struct vfs_node *at_from, const char *from,
             const struct vfs_node *at_to, const char *to, int flags);
/* mknod of a FIFO, device or socket node (the caller makes regular files
 * with vfs_open_mode()): -EEXIST, -EPERM where the filesystem has none. */
int vfs_mknod(const struct vfs_node *at, const char *path, uint32_t mode,
              uint64_t dev);
int vfs_chmod(const struct vfs_node *at, const char *path, uint32_t mode,
              int flags);
int vfs_chown(const struct vfs_node *at, const char *path, uint32_t uid,
              uint32_t gid, int flags);
int vfs_utimens(const struct vfs_node *at, const char *path,
                const struct timespec *times, int flags);

/*
 * Writes every dirty block to the disk and flushes its cache. 0, or the
 * first error (-EIO once a volume failed a write and turned read-only).
 */
int vfs_sync(void);

/*
 * vfs_sync(), and marks each filesystem cleanly unmounted (FAT32's clean
 * bit): for power-off and reboot. 0 or the first error.
 */
int vfs_sync_clean(void);

/* ---- for filesystems ---- */

/* What statfs reports; sizes in bytes, files in inodes (0: no count). */
struct vfs_statfs {
    uint64_t magic; /* Linux's f_type for the filesystem */
    uint64_t total, free;
    uint64_t files, files_free;
};

/*
 * What a filesystem gives the VFS: one per mounted instance. Paths handed
 * to the operations are the part below the mount point, absolute and
 * normalised ("/", "/a/b"), and each operation gets the instance it was
 * called on (sb: the instance's state). A NULL operation that would change
 * the tree fails with -EROFS, a NULL link, symlink, chmod or chown with
 * -EPERM (as Linux's VFS says for a filesystem without them); a NULL
 * statfs or sync counts as nothing to report or to write, a NULL utimens
 * keeps the times the filesystem sets itself.
 */
struct vfs_fs {
    const char *name; /* the type, as /proc/mounts shows it */
    uint64_t magic;   /* statfs's f_type */
    void *sb;         /* the instance's own state */
    /* mode: the permission bits of a file O_CREAT makes. */
    int (*open)(const struct vfs_fs *fs, const char *path, int flags,
                uint32_t mode, struct file **out);
    /* A symbolic link is described, not followed (the walk follows). */
    int (*stat)(const struct vfs_fs *fs, const char *path, struct stat *st);
    int (*mkdir)(const struct vfs_fs *fs, const char *path, uint32_t mode);
    int (*unlink)(const struct vfs_fs *fs, const char *path);
    int (*rmdir)(const struct vfs_fs *fs, const char *path);
    int (*rename)(const struct vfs_fs *fs, const char *from, const char *to);
    int (*truncate)(const struct vfs_fs *fs, const char *path, uint64_t size);
    int (*statfs)(const struct vfs_fs *fs, struct vfs_statfs *out);
    int (*sync)(const struct vfs_fs *fs);
    /*
     * Symbolic links: the length of path's link text, copied to buf (at
     * most size bytes, no NUL; -ENAMETOOLONG if longer), or -EINVAL if
     * path is not a link. NULL: the filesystem has no links.
     */
    int (*readlink)(const struct vfs_fs *fs, const char *path, char *buf,
                    size_t size);
    /* A new link at path whose text is target. -EEXIST, -ENOSPC, ... */
    int (*symlink)(const struct vfs_fs *fs, const char *target,
                   const char *path);
    /*
     * A node that holds no data: mode is S_IFIFO, S_IFCHR, S_IFBLK or
     * S_IFSOCK with the permission bits, dev the device number st_rdev
     * shows. NULL: the filesystem has none (-EPERM, as Linux's vfat).
     */
    int (*mknod)(const struct vfs_fs *fs, const char *path, uint32_t mode,
                 uint64_t dev);
    /* A second name `to` for the file `from`. -EPERM for a directory. */
    int (*link)(const struct vfs_fs *fs, const char *from, const char *to);
    /* The permission bits (07777) of path. */
    int (*chmod)(const struct vfs_fs *fs, const char *path, uint32_t mode);
    /* The owner; (uint32_t)-1 leaves that id as it is. */
    int (*chown)(const struct vfs_fs *fs, const char *path, uint32_t uid,
                 uint32_t gid);
    /* Access and modification times, each already resolved (no UTIME_*). */
    int (*utimens)(const struct vfs_fs *fs, const char *path,
                   const struct timespec *atime, const struct timespec *mtime);
    /* Sync and mark the filesystem cleanly unmounted. NULL: sync. */
    int (*clean)(const struct vfs_fs *fs);
    /*
     * umount: -EBUSY while anything of it is open, else frees the instance
     * (fs itself too). NULL: it cannot be unmounted (-EBUSY).
     */
    int (*unmount)(const struct vfs_fs *fs);
    /* The options /proc/mounts shows after "rw" (",size=..."), or "". */
    int (*options)(const struct vfs_fs *fs, char *buf, size_t size);
};

#define VFS_MOUNTS_MAX 16
#define VFS_POINT_MAX  256 /* a mount point's path, with its NUL */

/*
 * Mounts fs at point (an absolute, normalised path: "/", "/dev"), naming
 * source as where it came from ("/dev/hda1", "none"). Returns 0, -EBUSY
 * if something is mounted there, -ENAMETOOLONG, or -ENOMEM if the table
 * is full.
 */
int vfs_mount(const char *point, const char *source, const struct vfs_fs *fs);

/*
 * mount(2) for the one type users can make: "tmpfs" (options: "size=N"
 * with an optional k, m, g or % suffix, "mode=", ignored flags). dir must
 * be a directory. 0, -ENODEV (another type), -ENOTDIR, -EBUSY, -EINVAL
 * (bad options), -ENOMEM, or the walk's error.
 */
int vfs_mount_user(const struct vfs_node *at, const char *dir,
                   const char *source, const char *type, const char *options);

/* umount2(2): -EINVAL if dir is not a mount point, -EBUSY if in use. */
int vfs_umount(const struct vfs_node *at, const char *dir);

/*
 * The mount table as /proc/mounts shows it, one line a mount, into buf
 * (truncated to size bytes); returns the full length.
 */
size_t vfs_mounts_text(char *buf, size_t size);

/* st_ino for a path: a hash of it, never 0 (FAT32 has no inode numbers). */
uint64_t vfs_ino(const char *path);
/* vfs_ino() of the path dir + "/" + name, without building it. */
uint64_t vfs_ino_child(const char *dir, const char *name);
