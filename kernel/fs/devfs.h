/*
 * /dev: the kernel's device files.
 *
 * Context: task.
 * See: docs/storage.md
 */
#pragma once

#include "fs/vfs.h"

/* The filesystem vfs_init() mounts at "/dev". */
extern const struct vfs_fs devfs_fs;
