/*
 * yes: prints its arguments (or "y") on a line, again and again.
 *
 * The line is repeated into one buffer of a few KiB and written in full
 * each time, so a pipe reader gets large writes rather than one syscall
 * per line. It ends when the write fails (the reader went away).
 *
 * See: docs/userland.md
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "io.h"
#include "usage.h"

#define USAGE    "usage: yes [string...]\n"
#define YES_FILL 4096

int main(int argc, char **argv)
{
    usage_help(argc, argv, USAGE);
    int first = 1;
    if (argc > 1 && strcmp(argv[1], "--") == 0)
        first = 2;
    else if (argc > 1 && argv[1][0] == '-' && argv[1][1])
        usage_fail(USAGE, 1);
    static char line[YES_FILL], buf[2 * YES_FILL];
    size_t len = 0;
    for (int i = first; i < argc && len < YES_FILL; i++)
        len += (size_t)snprintf(line + len, sizeof line - len, "%s%s",
                                i > first ? " " : "", argv[i]);
    if (first >= argc)
        line[len++] = 'y';
    if (len >= YES_FILL - 1)
        len = YES_FILL - 2;
    line[len++] = '\n';
    size_t fill = 0;
    while (fill + len <= sizeof buf) {
        memcpy(buf + fill, line, len);
        fill += len;
    }
    while (io_write_all(STDOUT_FILENO, buf, fill) == 0)
        ;
    return 1;
}
