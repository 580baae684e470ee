/*
 * Descriptor tables: a process's small integers, each naming an open file.
 *
 * A table maps descriptors 0..FD_MAX-1 to struct file pointers, each
 * holding one reference, with a close-on-exec bit beside each. fork copies
 * the table (every file gains a reference, so parent and child share
 * offsets, as on Unix); exec closes the descriptors marked close-on-exec;
 * exit frees the table.
 *
 * Locking: none. A table belongs to one process and is touched only by
 * that process's task (fork copies it before the child runs).
 * Context: task; closing may sleep in the file's release.
 * See: docs/storage.md, docs/usermode.md
 */
#pragma once

#include <stdbool.h>

struct file;

#define FD_MAX 64

struct fdtable {
    struct file *files[FD_MAX];
    bool cloexec[FD_MAX];
};

/* An empty table, or NULL. */
struct fdtable *fdtable_new(void);
/* A copy for fork: every file gains a reference. NULL when short. */
struct fdtable *fdtable_clone(const struct fdtable *t);
/* Closes every descriptor and frees the table. */
void fdtable_free(struct fdtable *t);
/* execve: closes descriptors marked close-on-exec. */
void fdtable_close_on_exec(struct fdtable *t);

/*
 * Installs f (taking over the caller's reference) at the lowest free
 * descriptor >= min. Returns it, or -EMFILE.
 */
int fdtable_install(struct fdtable *t, struct file *f, int min, bool cloexec);
/* The file at fd with a new reference (file_put it after), or -EBADF. */
int fdtable_get(struct fdtable *t, int fd, struct file **out);
/* Closes fd: 0 or -EBADF. */
int fdtable_close(struct fdtable *t, int fd);
/* dup2/dup3: makes newfd refer to oldfd's file. newfd, or -EBADF. */
int fdtable_dup2(struct fdtable *t, int oldfd, int newfd, bool cloexec);
