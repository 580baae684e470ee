/*
 * Whole-file loops: write everything, read in chunks, read everything,
 * and walk a command's file operands.
 *
 * Every allocation is checked: a program that runs out of memory says so
 * through errno (ENOMEM) rather than writing through a NULL pointer.
 *
 * See: docs/userland.md
 */
#include "io.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int io_write_all(int fd, const void *p, size_t n)
{
    const char *s = p;
    while (n > 0) {
        ssize_t w = write(fd, s, n);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            return -errno;
        }
        s += w;
        n -= (size_t)w;
    }
    return 0;
}

int io_each_chunk(int fd, int (*fn)(const char *buf, size_t n, void *ctx),
                  void *ctx)
{
    static char buf[IO_CHUNK];
    for (;;) {
        ssize_t n = read(fd, buf, sizeof buf);
        if (n == 0)
            return 0;
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return -errno;
        }
        int r = fn(buf, (size_t)n, ctx);
        if (r != 0)
            return r;
    }
}

char *io_read_all(int fd, size_t *len)
{
    size_t cap = IO_CHUNK, used = 0;
    char *buf = malloc(cap + 1);
    if (!buf)
        return NULL;
    for (;;) {
        if (cap - used < IO_CHUNK) {
            char *bigger = realloc(buf, cap * 2 + 1);
            if (!bigger) {
                free(buf);
                errno = ENOMEM;
                return NULL;
            }
            buf = bigger;
            cap *= 2;
        }
        ssize_t n = read(fd, buf + used, IO_CHUNK);
        if (n == 0)
            break;
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            int err = errno;
            free(buf);
            errno = err;
            return NULL;
        }
        used += (size_t)n;
    }
    buf[used] = '\0';
    if (len)
        *len = used;
    return buf;
}

char *io_slurp(const char *path, size_t *len)
{
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        return NULL;
    char *text = io_read_all(fd, len);
    int err = errno;
    close(fd);
    errno = err;
    return text;
}

int io_each_file(const char *prog, int nfiles, char **files, bool headers,
                 int (*fn)(int fd, const char *name, void *ctx), void *ctx)
{
    static char *stdin_only[] = {"-"};
    if (nfiles == 0) {
        nfiles = 1;
        files = stdin_only;
    }
    int status = 0;
    bool first = true;
    for (int i = 0; i < nfiles; i++) {
        bool dash = strcmp(files[i], "-") == 0;
        int fd = dash ? STDIN_FILENO : open(files[i], O_RDONLY);
        if (fd < 0) {
            fprintf(stderr, "%s: cannot open '%s' for reading: %s\n", prog,
                    files[i], strerror(errno));
            status = 1;
            continue;
        }
        if (headers && nfiles > 1)
            printf("%s==> %s <==\n", first ? "" : "\n",
                   dash ? "standard input" : files[i]);
        first = false;
        fflush(stdout);
        status |= fn(fd, dash ? "standard input" : files[i], ctx);
        fflush(stdout);
        if (!dash)
            close(fd);
    }
    return status;
}

int io_each_stream(const char *prog, int nfiles, char **files,
                   int (*fn)(FILE *f, void *ctx), void *ctx)
{
    static char *stdin_only[] = {"-"};
    if (nfiles == 0) {
        nfiles = 1;
        files = stdin_only;
    }
    int status = 0;
    for (int i = 0; i < nfiles; i++) {
        bool dash = strcmp(files[i], "-") == 0;
        FILE *f = dash ? stdin : fopen(files[i], "r");
        if (!f) {
            fprintf(stderr, "%s: %s: %s\n", prog, files[i], strerror(errno));
            status = 1;
            continue;
        }
        status |= fn(f, ctx);
        if (!dash)
            fclose(f);
    }
    return status;
}
