/*
 * /proc: process and kernel figures as text files, in Linux's formats.
 *
 * Context: task.
 * See: docs/storage.md
 */
#pragma once

#include "fs/vfs.h"

/* The filesystem proc_init() mounts at "/proc", after vfs_init(). */
extern const struct vfs_fs procfs_fs;
