/*
 * head: the first lines of files (10 unless -n or -N says otherwise), or
 * with -c N the first N bytes.
 *
 * With several files each is preceded by GNU's header "==> name <==",
 * with a blank line between files (io_each_file()). Reading stops as soon
 * as enough lines have been printed, so `head` of a huge file or an
 * endless pipe is quick.
 *
 * See: docs/userland.md
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "io.h"
#include "usage.h"

#define USAGE        "usage: head [-n lines | -lines | -c bytes] [file...]\n"
#define HEAD_DEFAULT 10
#define HEAD_ENOUGH  1 /* io_each_chunk(): stop, all is printed */

static bool bytes; /* -c: count bytes, not lines */

/* One chunk: written up to the last line (or byte) wanted. */
static int head_chunk(const char *buf, size_t n, void *ctx)
{
    long *left = ctx;
    size_t take = 0;
    if (bytes) {
        take = (size_t)*left < n ? (size_t)*left : n;
        *left -= (long)take;
    }
    while (!bytes && *left > 0 && take < n) {
        const char *nl = memchr(buf + take, '\n', n - take);
        if (!nl) {
            take = n;
            break;
        }
        take = (size_t)(nl - buf) + 1;
        (*left)--;
    }
    if (io_write_all(STDOUT_FILENO, buf, take) < 0)
        return -errno;
    return *left > 0 ? 0 : HEAD_ENOUGH;
}

static int head_fd(int fd, const char *name, void *ctx)
{
    long left = *(long *)ctx;
    if (left == 0)
        return 0;
    int r = io_each_chunk(fd, head_chunk, &left);
    if (r < 0) {
        fprintf(stderr, "head: error reading '%s': %s\n", name, strerror(-r));
        return 1;
    }
    return 0;
}

static bool parse_count(const char *s, long *out)
{
    char *end;
    *out = strtol(s, &end, 10);
    return *s && !*end && *out >= 0;
}

int main(int argc, char **argv)
{
    usage_help(argc, argv, USAGE);
    usage_number_option(argc, argv);
    long lines = HEAD_DEFAULT;
    int opt;
    while ((opt = getopt(argc, argv, "n:c:")) != -1) {
        if ((opt != 'n' && opt != 'c') || !parse_count(optarg, &lines))
            usage_fail(USAGE, 1);
        bytes = opt == 'c';
    }
    return io_each_file("head", argc - optind, argv + optind, true, head_fd,
                        &lines);
}
