/*
 * Directory records for getdents64, packed in one place.
 *
 * A record is struct linux_dirent64: inode, offset, length, type, then the
 * NUL-terminated name, the whole padded to 8 bytes, exactly as Linux lays
 * it out, so musl's readdir() reads Ember's records unchanged.
 *
 * Context: task.
 * See: docs/storage.md
 */
#include "fs/dirent.h"

#include <ember/dirent.h>
#include <ember/errno.h>
#include <ember/fcntl.h>

#include "lib/portable.h"

#define DIRENT_HEADER   19 /* offsetof(struct linux_dirent64, d_name) */
#define DIRENT_NAME_MAX 64 /* made-up names are short: "console", a pid */

_Static_assert(DIRENT_HEADER == offsetof(struct linux_dirent64, d_name),
               "linux_dirent64 layout");

size_t dirent_put(void *buf, size_t room, const char *name, uint8_t type,
                  uint64_t ino, int64_t off)
{
    size_t len = strlen(name);
    size_t reclen = (DIRENT_HEADER + len + 1 + DIRENT64_ALIGN - 1) &
                    ~(size_t)(DIRENT64_ALIGN - 1);
    if (reclen > room)
        return 0;
    struct linux_dirent64 *d = buf;
    memset(d, 0, reclen);
    d->d_ino = ino;
    d->d_off = off;
    d->d_reclen = (uint16_t)reclen;
    d->d_type = type;
    memcpy(d->d_name, name, len + 1);
    return reclen;
}

long dirent_fill(void *buf, size_t n, const void *dir, unsigned count,
                 unsigned *next, dirent_entry_fn entry)
{
    size_t used = 0;
    char name[DIRENT_NAME_MAX];
    uint8_t type;

    while (*next < count) {
        entry(dir, *next, name, sizeof name, &type);
        size_t len = dirent_put((uint8_t *)buf + used, n - used, name, type,
                                (uint64_t)*next + 1, (int64_t)*next + 1);
        if (len == 0)
            break;
        used += len;
        (*next)++;
    }
    if (used == 0 && *next < count)
        return -EINVAL;
    return (long)used;
}

long dirent_read_dir(struct file *f, void *buf, size_t n)
{
    (void)f;
    (void)buf;
    (void)n;
    return -EISDIR;
}

int dirent_check_rewind(int64_t off, int whence)
{
    return whence == SEEK_SET && off == 0 ? 0 : -EINVAL;
}
