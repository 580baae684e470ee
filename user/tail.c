/*
 * tail: the last lines of files (10 unless -n says otherwise); -n +N
 * prints from line N on.
 *
 * Each input is read whole into memory and the start of its last N lines
 * found by counting newlines back from the end, which is simple and right
 * for pipes as well as files (a file larger than memory is out of reach,
 * as it is for a teaching system's disk anyway). Several files get GNU's
 * "==> name <==" headers, as head's.
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

#define TAIL_DEFAULT 10
#define TAIL_CHUNK   (64 * 1024)

/* Reads all of fd; returns the bytes (malloc'd) or NULL with errno. */
static char *slurp(int fd, size_t *len)
{
    size_t cap = TAIL_CHUNK;
    char *buf = malloc(cap);
    *len = 0;
    for (;;) {
        if (cap - *len < TAIL_CHUNK)
            buf = realloc(buf, cap *= 2);
        ssize_t n = read(fd, buf + *len, TAIL_CHUNK);
        if (n == 0)
            return buf;
        if (n < 0 && errno != EINTR) {
            free(buf);
            return NULL;
        }
        if (n > 0)
            *len += (size_t)n;
    }
}

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

static int tail(int fd, const char *name, long lines, bool from)
{
    size_t len;
    char *buf = slurp(fd, &len);
    if (!buf) {
        fprintf(stderr, "tail: error reading '%s': %s\n", name,
                strerror(errno));
        return 1;
    }
    size_t start = lines == 0 && !from ? len : start_of(buf, len, lines, from);
    fwrite(buf + start, 1, len - start, stdout);
    free(buf);
    return 0;
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
    if (optind == argc)
        return tail(STDIN_FILENO, "standard input", lines, from);
    int status = 0;
    bool many = argc - optind > 1, first = true;
    for (int i = optind; i < argc; i++) {
        bool dash = strcmp(argv[i], "-") == 0;
        int fd = dash ? STDIN_FILENO : open(argv[i], O_RDONLY);
        if (fd < 0) {
            fprintf(stderr, "tail: cannot open '%s' for reading: %s\n", argv[i],
                    strerror(errno));
            status = 1;
            continue;
        }
        if (many)
            printf("%s==> %s <==\n", first ? "" : "\n",
                   dash ? "standard input" : argv[i]);
        first = false;
        fflush(stdout);
        status |= tail(fd, argv[i], lines, from);
        fflush(stdout);
        if (!dash)
            close(fd);
    }
    return status;
}
