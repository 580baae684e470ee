/*
 * tail: the last lines of files (10 unless -n or -N says otherwise); -n +N
 * prints from line N on, -c the same in bytes, and -f keeps printing what
 * is appended to the (last) file until killed.
 *
 * Each input is read whole into memory and the start of its last N lines
 * found by counting newlines back from the end, which is simple and right
 * for pipes as well as files (a file larger than memory is out of reach,
 * as it is for a teaching system's disk anyway). Several files get GNU's
 * "==> name <==" headers, as head's (io_each_file()).
 *
 * See: docs/userland.md
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sys/stat.h>

#include "io.h"
#include "usage.h"

#define USAGE                                                                  \
    "usage: tail [-f] [-n [+]lines | -lines | -c [+]bytes] [file...]\n"
#define TAIL_DEFAULT 10
#define TAIL_POLL_S  1 /* -f looks for more once a second, as GNU */

/* Where the output starts: the last `lines` lines, or from line `lines`. */
static size_t start_of(const char *buf, size_t len, long lines, bool from)
{
    if (from) {
        size_t i = 0;
        for (long line = 1; line < lines && i < len; i++)
            line += buf[i] == '\n';
        return i;
    }
    size_t i = len;
    if (i > 0 && buf[i - 1] == '\n')
        i--; /* the last line's own newline */
    for (; i > 0; i--)
        if (buf[i - 1] == '\n' && --lines == 0)
            return i;
    return lines > 0 ? 0 : i;
}

struct tail_args {
    long lines;
    bool from;
    bool bytes;       /* -c: count bytes */
    bool follow;      /* -f: after the end, wait for more */
    const char *last; /* the last operand: the one -f follows */
};

/* -f: copies what is appended to fd, polling once a second, for ever. */
__attribute__((noreturn)) static void follow(int fd)
{
    static char buf[IO_CHUNK];
    for (;;) {
        ssize_t n = read(fd, buf, sizeof buf);
        if (n > 0)
            io_write_all(STDOUT_FILENO, buf, (size_t)n);
        else
            sleep(TAIL_POLL_S);
    }
}

static int tail(int fd, const char *name, void *ctx)
{
    const struct tail_args *t = ctx;
    long lines = t->lines;
    bool from = t->from;
    size_t len;
    char *buf = io_read_all(fd, &len);
    if (!buf) {
        fprintf(stderr, "tail: error reading '%s': %s\n", name,
                strerror(errno));
        return 1;
    }
    size_t start;
    if (t->bytes && from)
        start =
            lines > 1 ? ((size_t)lines - 1 < len ? (size_t)lines - 1 : len) : 0;
    else if (t->bytes)
        start = (size_t)lines < len ? len - (size_t)lines : 0;
    else
        start = lines == 0 && !from ? len : start_of(buf, len, lines, from);
    int err = io_write_all(STDOUT_FILENO, buf + start, len - start);
    free(buf);
    struct stat st;
    if (t->follow && (!t->last || name == t->last) && fstat(fd, &st) == 0 &&
        S_ISREG(st.st_mode))
        follow(fd);
    return err < 0 ? 1 : 0;
}

int main(int argc, char **argv)
{
    usage_help(argc, argv, USAGE);
    usage_number_option(argc, argv);
    struct tail_args t = {.lines = TAIL_DEFAULT};
    int opt;
    while ((opt = getopt(argc, argv, "n:c:f")) != -1) {
        char *end = NULL;
        if (opt == 'f') {
            t.follow = true;
            continue;
        }
        if (opt == 'n' || opt == 'c') {
            t.bytes = opt == 'c';
            t.from = optarg[0] == '+';
            t.lines = strtol(optarg + t.from, &end, 10);
        }
        if ((opt != 'n' && opt != 'c') || !*optarg || *end || t.lines < 0)
            usage_fail(USAGE, 1);
    }
    if (optind < argc)
        t.last = argv[argc - 1];
    return io_each_file("tail", argc - optind, argv + optind, true, tail, &t);
}
