/*
 * FAT32 behind the VFS: the root volume's files as struct files.
 *
 * Context: task; every operation may sleep (it takes storage_lock()).
 * See: docs/storage.md
 */
#pragma once

#include "fs/vfs.h"

/* The filesystem vfs_init() mounts at "/" (the volume of fs/storage.h). */
extern const struct vfs_fs fatfs_fs;
