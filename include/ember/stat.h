/*
 * struct stat and the file-type bits, in Linux's x86_64 layout.
 *
 * Shared by the kernel (stat, fstat, lstat, newfstatat fill it) and user
 * programs, though musl programs use their libc's identical <sys/stat.h>
 * (do not include both: the names clash, as Linux's own uapi headers do).
 * FAT32 has no owners, permissions, inode numbers or link counts; what the
 * kernel puts in those fields is described in docs/syscalls.md.
 *
 * Portable: yes.
 * See: docs/syscalls.md
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include <ember/time.h>

struct stat {
    uint64_t st_dev;
    uint64_t st_ino;
    uint64_t st_nlink; /* before st_mode on x86_64, unlike most ports */
    uint32_t st_mode;
    uint32_t st_uid;
    uint32_t st_gid;
    uint32_t st_pad0;
    uint64_t st_rdev;
    int64_t st_size;
    int64_t st_blksize;
    int64_t st_blocks; /* in 512-byte units, whatever st_blksize says */
    struct timespec st_atim;
    struct timespec st_mtim;
    struct timespec st_ctim;
    int64_t st_unused[3];
};
_Static_assert(sizeof(struct stat) == 144, "Linux x86_64 struct stat");
_Static_assert(offsetof(struct stat, st_mode) == 24, "st_mode offset");
_Static_assert(offsetof(struct stat, st_size) == 48, "st_size offset");
_Static_assert(offsetof(struct stat, st_mtim) == 88, "st_mtim offset");

/* st_mode's type field (octal, as in Linux's <linux/stat.h>). */
#define S_IFMT   0170000
#define S_IFSOCK 0140000
#define S_IFLNK  0120000
#define S_IFREG  0100000
#define S_IFBLK  0060000
#define S_IFDIR  0040000
#define S_IFCHR  0020000
#define S_IFIFO  0010000

#define S_ISDIR(m) (((m)&S_IFMT) == S_IFDIR)
#define S_ISREG(m) (((m)&S_IFMT) == S_IFREG)
#define S_ISLNK(m) (((m)&S_IFMT) == S_IFLNK)
#define S_ISCHR(m) (((m)&S_IFMT) == S_IFCHR)
#define S_ISBLK(m) (((m)&S_IFMT) == S_IFBLK)
