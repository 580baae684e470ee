/*
 * tmpfs: a filesystem in memory, mounted at /tmp at boot and by mount(2)
 * anywhere else.
 *
 * Context: task; every operation may sleep (the instance's mutex).
 * See: docs/storage.md
 */
#pragma once

#include "fs/vfs.h"

#define TMPFS_MAGIC 0x01021994 /* statfs f_type, Linux's <linux/magic.h> */

/*
 * A new, empty instance for vfs_mount(), from mount(2)'s option string
 * ("size=1m,mode=755"; "" for the defaults: half of RAM, mode 1777).
 * 0, -EINVAL (an option it cannot read), -ENOMEM.
 */
int tmpfs_new(const char *options, const struct vfs_fs **out);
