/*
 * Descriptor tables: lowest-free allocation, dup2, and the fork and exec
 * steps over a fixed array.
 *
 * A fixed array of FD_MAX slots keeps the table one allocation that fork
 * copies with one assignment; the lowest free slot is found by a scan,
 * which POSIX requires of open and dup anyway. Each slot owns one reference
 * to its file, so closing is file_put() and copying is file_get().
 *
 * Locking: none; a table is used only by the task of the process that owns
 * it (fdtable.h).
 * Context: task; closing may sleep in the file's release.
 * See: docs/storage.md
 */
#include "fs/fdtable.h"

#include <ember/errno.h>

#include "fs/file.h"
#include "lib/portable.h"
#include "mm/kheap.h"

struct fdtable *fdtable_new(void)
{
    struct fdtable *t = kmalloc(sizeof *t);
    if (t)
        memset(t, 0, sizeof *t);
    return t;
}

struct fdtable *fdtable_clone(const struct fdtable *t)
{
    struct fdtable *c = kmalloc(sizeof *c);
    if (c == NULL)
        return NULL;
    *c = *t;
    for (int fd = 0; fd < FD_MAX; fd++) {
        if (c->files[fd])
            file_get(c->files[fd]);
    }
    return c;
}

void fdtable_free(struct fdtable *t)
{
    for (int fd = 0; fd < FD_MAX; fd++)
        fdtable_close(t, fd);
    kfree(t);
}

void fdtable_close_on_exec(struct fdtable *t)
{
    for (int fd = 0; fd < FD_MAX; fd++) {
        if (t->cloexec[fd])
            fdtable_close(t, fd);
    }
}

int fdtable_install(struct fdtable *t, struct file *f, int min, bool cloexec)
{
    if (min < 0 || min >= FD_MAX)
        return -EINVAL;
    for (int fd = min; fd < FD_MAX; fd++) {
        if (t->files[fd] == NULL) {
            t->files[fd] = f;
            t->cloexec[fd] = cloexec;
            return fd;
        }
    }
    return -EMFILE;
}

int fdtable_get(struct fdtable *t, int fd, struct file **out)
{
    if (fd < 0 || fd >= FD_MAX || t->files[fd] == NULL)
        return -EBADF;
    file_get(t->files[fd]);
    *out = t->files[fd];
    return 0;
}

int fdtable_close(struct fdtable *t, int fd)
{
    if (fd < 0 || fd >= FD_MAX || t->files[fd] == NULL)
        return -EBADF;
    struct file *f = t->files[fd];
    t->files[fd] = NULL;
    t->cloexec[fd] = false;
    file_put(f);
    return 0;
}

int fdtable_dup2(struct fdtable *t, int oldfd, int newfd, bool cloexec)
{
    if (oldfd < 0 || oldfd >= FD_MAX || t->files[oldfd] == NULL)
        return -EBADF;
    if (newfd < 0 || newfd >= FD_MAX)
        return -EBADF;
    if (oldfd == newfd)
        return newfd; /* dup2's rule; dup3 refuses this before calling */
    file_get(t->files[oldfd]);
    if (t->files[newfd])
        fdtable_close(t, newfd);
    t->files[newfd] = t->files[oldfd];
    t->cloexec[newfd] = cloexec;
    return newfd;
}
