/*
 * cat: copies files (or standard input, or "-") to standard output.
 *
 * Data moves in 64 KiB reads with no limit on the size. With -n every
 * output line is numbered as GNU cat numbers it, "%6d\t", the count going
 * on across files; a last line with no newline is numbered too.
 *
 * See: docs/userland.md
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define CAT_CHUNK (64 * 1024)

static bool number;
static long line_no;
static bool at_line_start = true;

static int write_all(const char *p, size_t n)
{
    while (n > 0) {
        ssize_t w = write(STDOUT_FILENO, p, n);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

/* Writes n bytes, numbering each line that starts among them. */
static int put_numbered(const char *p, size_t n)
{
    char num[32];
    while (n > 0) {
        if (at_line_start) {
            int len = snprintf(num, sizeof num, "%6ld\t", ++line_no);
            if (write_all(num, (size_t)len) < 0)
                return -1;
            at_line_start = false;
        }
        const char *nl = memchr(p, '\n', n);
        size_t take = nl ? (size_t)(nl - p) + 1 : n;
        if (write_all(p, take) < 0)
            return -1;
        at_line_start = nl != NULL;
        p += take;
        n -= take;
    }
    return 0;
}

static int cat_fd(int fd, const char *name)
{
    static char buf[CAT_CHUNK];
    for (;;) {
        ssize_t n = read(fd, buf, sizeof buf);
        if (n == 0)
            return 0;
        if (n < 0) {
            if (errno == EINTR)
                continue;
            fprintf(stderr, "cat: %s: %s\n", name, strerror(errno));
            return 1;
        }
        int err =
            number ? put_numbered(buf, (size_t)n) : write_all(buf, (size_t)n);
        if (err < 0) {
            fprintf(stderr, "cat: write error: %s\n", strerror(errno));
            return 1;
        }
    }
}

int main(int argc, char **argv)
{
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
