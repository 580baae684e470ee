/*
 * Reading and writing whole files, the loops every program of /bin needs.
 *
 * read() and write() may move fewer bytes than asked, and EINTR may cut
 * them short; these loops are written once here so that cat, wc, head,
 * tail and the rest do not each carry their own copy. Errors come back as
 * a negative errno; the caller names the file in its own message.
 *
 * See: docs/userland.md
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#define IO_CHUNK (64 * 1024) /* one read: large enough for a pipe's fill */

/* Writes all n bytes to fd. Returns 0 or -errno. */
int io_write_all(int fd, const void *p, size_t n);

/*
 * Reads fd to its end in chunks of up to IO_CHUNK bytes, calling
 * fn(buf, n, ctx) for each. Returns 0 at the end of the input, -errno when
 * a read fails, or the first non-zero value fn returns (which stops the
 * loop: a positive value for "enough", as head uses it).
 */
int io_each_chunk(int fd, int (*fn)(const char *buf, size_t n, void *ctx),
                  void *ctx);

/*
 * Reads all of fd into a malloc'd buffer with a '\0' after the data (which
 * is not counted in *len). Returns the buffer, or NULL with errno set
 * (ENOMEM, or the read's error).
 */
char *io_read_all(int fd, size_t *len);

/* io_read_all() of the file at path; NULL with errno set. */
char *io_slurp(const char *path, size_t *len);

/*
 * The loop over a command's file operands that head, tail and the other
 * filters share: "-" (or no operand at all) is standard input; a file that
 * cannot be opened is reported as "prog: cannot open 'name' for reading:
 * reason" and makes the status 1; with headers and more than one operand
 * each file's output is preceded by GNU's "==> name <==" (a blank line
 * between files). fn(fd, name, ctx) does the work and returns 0 or 1.
 * Returns 0 when every file went well, else 1.
 */
int io_each_file(const char *prog, int nfiles, char **files, bool headers,
                 int (*fn)(int fd, const char *name, void *ctx), void *ctx);

/*
 * The same walk for programs that read lines with stdio: fn(f, ctx) gets
 * each operand opened as a FILE ("-" and no operand: stdin). A file that
 * cannot be opened is reported as "prog: name: reason" (status 1).
 * Returns 0, or 1 when a file could not be opened or fn returned 1.
 */
int io_each_stream(const char *prog, int nfiles, char **files,
                   int (*fn)(FILE *f, void *ctx), void *ctx);
