/*
 * open's flags, fcntl's commands and the *at calls' constants (Linux x86_64).
 *
 * Shared by the kernel and user programs; the values are Linux's, so musl's
 * own <fcntl.h> values reach the kernel unchanged. musl adds O_LARGEFILE to
 * every open, so the kernel must accept it (it changes nothing on 64-bit).
 *
 * Portable: yes.
 * See: docs/syscalls.md
 */
#pragma once

/* open's flags (octal, as Linux writes them). */
#define O_ACCMODE   03
#define O_RDONLY    00
#define O_WRONLY    01
#define O_RDWR      02
#define O_CREAT     0100
#define O_EXCL      0200
#define O_NOCTTY    0400
#define O_TRUNC     01000
#define O_APPEND    02000
#define O_NONBLOCK  04000
#define O_DSYNC     010000
#define O_DIRECT    040000
#define O_LARGEFILE 0100000
#define O_DIRECTORY 0200000
#define O_NOFOLLOW  0400000
#define O_NOATIME   01000000
#define O_CLOEXEC   02000000
#define O_SYNC      04010000
#define O_PATH      010000000

/* fcntl's commands and the one descriptor flag. */
#define F_DUPFD         0
#define F_GETFD         1
#define F_SETFD         2
#define F_GETFL         3
#define F_SETFL         4
#define F_DUPFD_CLOEXEC 1030
#define FD_CLOEXEC      1

/* The *at calls: the "current directory" descriptor and their flags. */
#define AT_FDCWD            (-100)
#define AT_SYMLINK_NOFOLLOW 0x100
#define AT_REMOVEDIR        0x200 /* unlinkat */
#define AT_EACCESS          0x200 /* faccessat */
#define AT_EMPTY_PATH       0x1000

/* lseek's whence. */
#define SEEK_SET 0
#define SEEK_CUR 1
#define SEEK_END 2

/* access's mode bits. */
#define F_OK 0
#define X_OK 1
#define W_OK 2
#define R_OK 4
