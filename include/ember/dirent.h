/*
 * The record getdents64 writes, in Linux's layout, and the d_type values.
 *
 * Shared by the kernel (it packs these records into the caller's buffer)
 * and user programs (musl's readdir walks them). Each record is d_reclen
 * bytes: the fixed header, the NUL-terminated name, then padding up to a
 * multiple of 8 so the next record is aligned.
 *
 * Portable: yes.
 * See: docs/syscalls.md
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

struct linux_dirent64 {
    uint64_t d_ino;
    int64_t d_off; /* opaque cookie: where the next record starts */
    uint16_t d_reclen;
    uint8_t d_type;
    char d_name[]; /* NUL-terminated */
};
_Static_assert(offsetof(struct linux_dirent64, d_reclen) == 16, "d_reclen");
_Static_assert(offsetof(struct linux_dirent64, d_name) == 19, "d_name");

/* Records are padded to this alignment. */
#define DIRENT64_ALIGN 8

#define DT_UNKNOWN 0
#define DT_FIFO    1
#define DT_CHR     2
#define DT_DIR     4
#define DT_BLK     6
#define DT_REG     8
#define DT_LNK     10
#define DT_SOCK    12
