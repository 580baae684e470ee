/*
 * Pipes: a ring of bytes between a read end and a write end.
 *
 * Context: task; reads and writes may sleep.
 * See: docs/storage.md
 */
#pragma once

#include <stddef.h>

struct file;

#define PIPE_BYTES 16384 /* the ring: four pages, a quarter of Linux's */
#define PIPE_BUF   4096  /* writes up to this size are atomic (POSIX) */

/*
 * Makes a pipe: *rd is the read end (O_RDONLY), *wr the write end
 * (O_WRONLY); flags may add O_NONBLOCK to both (pipe2). Returns 0 or
 * -ENOMEM (nothing made).
 *
 * Reads block until bytes arrive and return what is there (at most n);
 * they return 0 (end of file) once no write end is open. Writes block
 * until every byte is in the ring, writes of up to PIPE_BUF bytes in one
 * piece; with no read end open they return -EPIPE (the caller raises
 * SIGPIPE). With O_NONBLOCK, what would block returns -EAGAIN instead (or
 * the bytes already moved).
 */
int pipe_create(int flags, struct file **rd, struct file **wr);
