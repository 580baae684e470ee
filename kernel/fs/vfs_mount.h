/*
 * The mount table, as the VFS's walk uses it: which filesystem holds an
 * absolute path, taken for the length of one operation.
 *
 * Locking: the table's own mutex, never held across a filesystem call.
 * Context: task.
 * See: docs/storage.md
 */
#pragma once

struct vfs_fs;
struct vfs_mount;

/*
 * The filesystem holding abs (absolute, normalised: the longest mount
 * point that is a prefix of it on a name boundary), with the path below
 * the mount point in *rel (pointing into abs, or "/"). The mount is held
 * (umount says -EBUSY) until vfs_mount_put(). 0, or -ENOENT when nothing
 * is mounted there (no root volume).
 */
int vfs_mount_find(const char *abs, struct vfs_mount **m,
                   const struct vfs_fs **fs, const char **rel);

/* Lets go of a mount from vfs_mount_find(); NULL does nothing. */
void vfs_mount_put(struct vfs_mount *m);
