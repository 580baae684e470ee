/*
 * tail: the last lines of files (10 unless -n says otherwise); -n +N
 * prints from line N on.
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

#include "io.h"

#define TAIL_DEFAULT 10

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
};

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
    size_t start = lines == 0 && !from ? len : start_of(buf, len, lines, from);
    int err = io_write_all(STDOUT_FILENO, buf + start, len - start);
    free(buf);
    return err < 0 ? 1 : 0;
}

int main(int argc, char **argv)
{
    long lines = TAIL_DEFAULT;
    bool from = false;
    int opt;
    while ((opt = getopt(argc, argv, "n:")) != -1) {
        char *end = NULL;
        if (opt == 'n') {
            from = optarg[0] == '+';
            lines = strtol(optarg + from, &end, 10);
        }
        if (opt != 'n' || !*optarg || *end || lines < 0) {
            fprintf(stderr, "usage: tail [-n [+]lines] [file...]\n");
            return 1;
        }
    }
    struct tail_args t = {.lines = lines, .from = from};
    return io_each_file("tail", argc - optind, argv + optind, true, tail, &t);
}
