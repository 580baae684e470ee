/*
 * cat: copies files (or standard input, or "-") to standard output.
 *
 * Data moves in 64 KiB reads (io_each_chunk()) with no limit on the size. With
 * -n every output line is numbered as GNU cat numbers it, "%6d\t", the count
 * going on across files; a last line with no newline is numbered too.
 *
 * See: docs/userland.md
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "io.h"
#include "usage.h"

static bool number;
static long line_no;
static bool at_line_start = true;

/* Writes n bytes, numbering each line that starts among them. */
static int put_numbered(const char *p, size_t n)
{
    char num[32];
    while (n > 0) {
        if (at_line_start) {
            int len = snprintf(num, sizeof num, "%6ld\t", ++line_no);
            if (io_write_all(STDOUT_FILENO, num, (size_t)len) < 0)
                return -1;
            at_line_start = false;
        }
        const char *nl = memchr(p, '\n', n);
        size_t take = nl ? (size_t)(nl - p) + 1 : n;
        if (io_write_all(STDOUT_FILENO, p, take) < 0)
            return -1;
        at_line_start = nl != NULL;
        p += take;
        n -= take;
    }
    return 0;
}

/* One chunk read: written out, numbered or not. A write error stops. */
static int put_chunk(const char *buf, size_t n, void *ctx)
{
    (void)ctx;
    int err =
        number ? put_numbered(buf, n) : io_write_all(STDOUT_FILENO, buf, n);
    if (err < 0) {
        fprintf(stderr, "cat: write error: %s\n", strerror(-err));
        return 1;
    }
    return 0;
}

static int cat_fd(int fd, const char *name)
{
    int r = io_each_chunk(fd, put_chunk, NULL);
    if (r < 0) {
        fprintf(stderr, "cat: %s: %s\n", name, strerror(-r));
        return 1;
    }
    return r;
}

int main(int argc, char **argv)
{
    usage_help(argc, argv, "usage: cat [-n] [file...]\n");
    int opt;
    while ((opt = getopt(argc, argv, "nu")) != -1) {
        if (opt == 'n') {
            number = true;
        } else if (opt != 'u') { /* -u: unbuffered, which cat always is */
            fprintf(stderr, "usage: cat [-n] [file...]\n");
            return 1;
        }
    }
    if (optind == argc)
        return cat_fd(STDIN_FILENO, "-");
    int status = 0;
    for (int i = optind; i < argc; i++) {
        if (strcmp(argv[i], "-") == 0) {
            status |= cat_fd(STDIN_FILENO, "-");
            continue;
        }
        int fd = open(argv[i], O_RDONLY);
        if (fd < 0) {
            fprintf(stderr, "cat: %s: %s\n", argv[i], strerror(errno));
            status = 1;
            continue;
        }
        status |= cat_fd(fd, argv[i]);
        close(fd);
    }
    return status;
}
