/*
 * tmpfs's insides, shared by its two files: tmpfs.c (the tree of names
 * and the VFS's operations) and tmpfs_file.c (open files and their pages).
 *
 * Locking: everything here is guarded by its instance's mutex (sb->lock),
 * taken around each operation and never held across a user copy (the
 * system calls hand tmpfs kernel buffers).
 * Context: task.
 * See: docs/storage.md
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include <ember/time.h>

#include "fs/pcache.h"
#include "fs/vfs.h"
#include "sched/mutex.h"

struct file;

/* One file, directory or symbolic link; names are struct tmpfs_dirent. */
struct tmpfs_inode {
    uint64_t ino;
    uint32_t mode;    /* S_IF* and the permission bits */
    uint32_t links;   /* names that point at it (".." not counted) */
    uint32_t opens;   /* open struct files; freed when both reach 0 */
    uint32_t subdirs; /* directories: how many of its entries are ones */
    uint32_t uid, gid;
    uint64_t rdev;  /* device nodes: the number st_rdev shows */
    uint64_t size;  /* files: bytes; links: text length; dirs: Linux's */
    uint64_t pages; /* files: pages held in the cache (holes are free) */
    struct timespec atime, mtime, ctime;
    struct tmpfs_inode *parent;   /* directories: "..", NULL once removed */
    struct tmpfs_dirent *entries; /* directories: oldest first */
    char *link;                   /* symbolic links: the text, with NUL */
};

/* A name in a directory. off orders the listing and survives removals. */
struct tmpfs_dirent {
    struct tmpfs_dirent *next;
    struct tmpfs_inode *node;
    uint64_t off;
    char name[];
};

/* An instance: what one mount holds. */
struct tmpfs_sb {
    struct mutex lock;
    struct vfs_fs fs;    /* what the VFS calls; fs.sb points back here */
    struct pcache cache; /* every file's pages, keyed by inode number */
    struct tmpfs_inode *root;
    uint64_t next_ino, next_off;
    uint64_t max_pages;          /* size=, in pages */
    uint64_t inodes, max_inodes; /* nr_inodes: half the pages, as Linux */
    uint32_t opens;              /* open files of any inode: umount waits */
    uint64_t dev;                /* st_dev, one per instance */
};

/* The time now, for the stamps. */
struct timespec tmpfs_now(void);

/* A file opened on node (its opens already counted); -ENOMEM. */
int tmpfs_file_open(struct tmpfs_sb *sb, struct tmpfs_inode *node, int flags,
                    struct file **out);

/* Fills st for node. Lock held. */
void tmpfs_fill_stat(const struct tmpfs_sb *sb, const struct tmpfs_inode *n,
                     struct stat *st);

/* Cuts or extends a file to size bytes, freeing whole pages past it. */
int tmpfs_resize(struct tmpfs_sb *sb, struct tmpfs_inode *node, uint64_t size);

/* Frees node if no name and no open file hold it any more. Lock held. */
void tmpfs_maybe_free(struct tmpfs_sb *sb, struct tmpfs_inode *node);
