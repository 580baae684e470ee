/*
 * Directory records for getdents64: one record, and whole listings of the
 * directories the kernel makes up (/dev, /proc).
 *
 * FAT32's directories come from the disk; /dev's and /proc's are lists the
 * kernel knows. Both hand getdents64 the same struct linux_dirent64
 * records, packed here once. A made-up directory describes its i-th entry
 * (0 is ".", 1 is "..") through a callback, and dirent_fill() does the
 * rest: as many records as fit, a cursor that survives between calls, and
 * Linux's -EINVAL when not even the next record fits.
 *
 * Context: task.
 * See: docs/storage.md
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

struct file;

/*
 * Writes one record for `name` at buf if it fits in room bytes; returns its
 * length (8-byte aligned), or 0 if it does not fit.
 */
size_t dirent_put(void *buf, size_t room, const char *name, uint8_t type,
                  uint64_t ino, int64_t off);

/* Entry i of a made-up directory: its name (at most cap bytes) and type. */
typedef void (*dirent_entry_fn)(const void *dir, unsigned i, char *name,
                                size_t cap, uint8_t *type);

/*
 * Fills buf (n bytes) with entries *next .. count - 1 of dir, advancing
 * *next past those written; entry i gets inode and offset i + 1. Returns
 * the bytes used, 0 at the end, or -EINVAL if the next record alone does
 * not fit.
 */
long dirent_fill(void *buf, size_t n, const void *dir, unsigned count,
                 unsigned *next, dirent_entry_fn entry);

/* A made-up directory's read and its rewind: -EISDIR; 0 or -EINVAL. */
long dirent_read_dir(struct file *f, void *buf, size_t n);
int dirent_check_rewind(int64_t off, int whence);
