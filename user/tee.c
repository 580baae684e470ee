/*
 * tee: copies standard input to standard output and to each file named.
 *
 * -a appends instead of truncating. A file that cannot be opened is
 * reported and skipped, the others still get the data (status 1, as GNU).
 *
 * See: docs/userland.md
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "io.h"
#include "usage.h"

#define USAGE     "usage: tee [-a] [file...]\n"
#define FILE_MODE 0666

struct outputs {
    int *fds;
    char **names;
    int count;
    int status;
};

static int copy_chunk(const char *buf, size_t n, void *ctx)
{
    struct outputs *o = ctx;
    for (int i = 0; i < o->count; i++) {
        if (o->fds[i] < 0)
            continue;
        int err = io_write_all(o->fds[i], buf, n);
        if (err < 0) {
            fprintf(stderr, "tee: %s: %s\n", o->names[i], strerror(-err));
            o->fds[i] = -1;
            o->status = 1;
        }
    }
    return 0;
}

int main(int argc, char **argv)
{
    usage_help(argc, argv, USAGE);
    int flags = O_WRONLY | O_CREAT | O_TRUNC, opt;
    while ((opt = getopt(argc, argv, "ai")) != -1) {
        if (opt == 'a')
            flags = O_WRONLY | O_CREAT | O_APPEND;
        else if (opt == 'i')
            signal(SIGINT, SIG_IGN);
        else
            usage_fail(USAGE, 1);
    }
    struct outputs o = {0};
    int nfiles = argc - optind;
    o.fds = calloc((size_t)nfiles + 1, sizeof *o.fds);
    o.names = calloc((size_t)nfiles + 1, sizeof *o.names);
    if (!o.fds || !o.names) {
        fprintf(stderr, "tee: %s\n", strerror(ENOMEM));
        return 1;
    }
    o.fds[o.count] = STDOUT_FILENO;
    o.names[o.count++] = "standard output";
    for (int i = optind; i < argc; i++) {
        int fd = open(argv[i], flags, FILE_MODE);
        if (fd < 0) {
            fprintf(stderr, "tee: %s: %s\n", argv[i], strerror(errno));
            o.status = 1;
            continue;
        }
        o.fds[o.count] = fd;
        o.names[o.count++] = argv[i];
    }
    int r = io_each_chunk(STDIN_FILENO, copy_chunk, &o);
    if (r < 0) {
        fprintf(stderr, "tee: standard input: %s\n", strerror(-r));
        o.status = 1;
    }
    for (int i = 1; i < o.count; i++)
        if (o.fds[i] >= 0 && close(o.fds[i]) < 0)
            o.status = 1;
    return o.status;
}
