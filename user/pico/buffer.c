/*
 * The buffer: a growable array of lines, read from and written to a file.
 *
 * Loading splits the file at each '\n' and saving joins the lines with
 * '\n', which makes a save byte-exact: a trailing newline is an empty last
 * line, a file without one has none, and '\r' or NUL bytes stay in their
 * lines. Both arrays (lines, and the bytes of each line) double when full,
 * so there is no size cap but memory.
 *
 * See: docs/userland.md
 */
#include "pico.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define READ_CHUNK 65536

static void *xrealloc(void *p, size_t n)
{
    p = realloc(p, n ? n : 1);
    if (!p) {
        term_restore();
        fprintf(stderr, "pico: out of memory\n");
        exit(1);
    }
    return p;
}

void line_insert(struct line *l, size_t at, const char *s, size_t len)
{
    if (l->len + len > l->cap) {
        size_t cap = l->cap ? l->cap : 16;
        while (cap < l->len + len)
            cap *= 2;
        l->s = xrealloc(l->s, cap);
        l->cap = cap;
    }
    memmove(l->s + at + len, l->s + at, l->len - at);
    memcpy(l->s + at, s, len);
    l->len += len;
}

void line_delete(struct line *l, size_t at, size_t len)
{
    memmove(l->s + at, l->s + at + len, l->len - at - len);
    l->len -= len;
}

void buffer_insert_line(struct buffer *b, size_t at, const char *s, size_t len)
{
    if (b->count == b->cap) {
        b->cap = b->cap ? b->cap * 2 : 64;
        b->lines = xrealloc(b->lines, b->cap * sizeof(struct line));
    }
    memmove(&b->lines[at + 1], &b->lines[at],
            (b->count - at) * sizeof(struct line));
    b->lines[at] = (struct line){0};
    line_insert(&b->lines[at], 0, s, len);
    b->count++;
}

void buffer_delete_line(struct buffer *b, size_t at)
{
    free(b->lines[at].s);
    memmove(&b->lines[at], &b->lines[at + 1],
            (b->count - at - 1) * sizeof(struct line));
    b->count--;
}

void buffer_init(struct buffer *b)
{
    *b = (struct buffer){0};
    buffer_insert_line(b, 0, "", 0);
}

int buffer_load(struct buffer *b, const char *path)
{
    snprintf(b->name, sizeof(b->name), "%s", path);
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        return errno == ENOENT ? 0 : -errno;
    char *chunk = xrealloc(NULL, READ_CHUNK);
    ssize_t n;
    while ((n = read(fd, chunk, READ_CHUNK)) > 0) {
        char *p = chunk, *end = chunk + n;
        while (p < end) {
            char *nl = memchr(p, '\n', (size_t)(end - p));
            struct line *last = &b->lines[b->count - 1];
            line_insert(last, last->len, p, (size_t)((nl ? nl : end) - p));
            if (!nl)
                break;
            buffer_insert_line(b, b->count, "", 0);
            p = nl + 1;
        }
    }
    int err = n < 0 ? -errno : 0;
    free(chunk);
    close(fd);
    return err;
}

int buffer_save(struct buffer *b)
{
    int fd = open(b->name, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0)
        return -errno;
    /* Gather the text in one block so the file is written in few calls. */
    size_t total = 0;
    for (size_t i = 0; i < b->count; i++)
        total += b->lines[i].len + 1;
    char *text = xrealloc(NULL, total), *p = text;
    for (size_t i = 0; i < b->count; i++) {
        memcpy(p, b->lines[i].s, b->lines[i].len);
        p += b->lines[i].len;
        if (i + 1 < b->count)
            *p++ = '\n';
    }
    size_t len = (size_t)(p - text), off = 0;
    int err = 0;
    while (off < len) {
        ssize_t w = write(fd, text + off, len - off);
        if (w <= 0) {
            err = w < 0 ? -errno : -ENOSPC;
            break;
        }
        off += (size_t)w;
    }
    free(text);
    if (close(fd) < 0 && !err)
        err = -errno;
    if (!err)
        b->modified = false;
    return err;
}
