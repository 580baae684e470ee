/*
 * hexdump: bytes as hexadecimal; only the canonical form, -C.
 *
 * The output is that of util-linux's hexdump -C (Debian's bsdextrautils),
 * byte for byte: per 16 bytes the offset in 8 hex digits, two spaces, the
 * bytes as "xx " in two groups of 8 separated by a space, and the bytes
 * as text between bars (printable ASCII, else '.'); a line equal to the
 * one before is written once as "*"; the total length ends the output.
 * The files given are dumped as one stream, as hexdump does.
 *
 * See: docs/userland.md
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "usage.h"

#define HD_LINE  16
#define HD_GROUP 8

static unsigned long long offset;
static unsigned char prev[HD_LINE];
static bool have_prev, squeezing;

static void line(const unsigned char *b, size_t n)
{
    if (n == HD_LINE && have_prev && memcmp(b, prev, HD_LINE) == 0) {
        if (!squeezing)
            puts("*");
        squeezing = true;
        offset += n;
        return;
    }
    squeezing = false;
    printf("%08llx ", offset);
    for (size_t i = 0; i < HD_LINE; i++) {
        if (i % HD_GROUP == 0)
            putchar(' ');
        if (i < n)
            printf("%02x ", b[i]);
        else
            fputs("   ", stdout);
    }
    fputs(" |", stdout);
    for (size_t i = 0; i < n; i++)
        putchar(b[i] >= ' ' && b[i] <= '~' ? b[i] : '.');
    puts("|");
    memcpy(prev, b, n);
    have_prev = n == HD_LINE;
    offset += n;
}

int main(int argc, char **argv)
{
    usage_help(argc, argv, "usage: hexdump -C [file...]\n");
    int opt;
    while ((opt = getopt(argc, argv, "C")) != -1) {
        if (opt != 'C') {
            fprintf(stderr, "usage: hexdump -C [file...]\n");
            return 1;
        }
    }
    unsigned char buf[HD_LINE];
    size_t have = 0;
    int status = 0, failed = 0;
    int i = optind;
    do {
        const char *name = i < argc ? argv[i] : "-";
        int fd = i < argc ? open(name, O_RDONLY) : STDIN_FILENO;
        if (fd < 0) {
            fprintf(stderr, "hexdump: %s: %s\n", name, strerror(errno));
            status = 1;
            failed++;
            continue;
        }
        ssize_t n;
        while ((n = read(fd, buf + have, HD_LINE - have)) > 0) {
            have += (size_t)n;
            if (have == HD_LINE) {
                line(buf, have);
                have = 0;
            }
        }
        if (n < 0) {
            fprintf(stderr, "hexdump: %s: %s\n", name, strerror(errno));
            status = 1;
        }
        if (fd != STDIN_FILENO)
            close(fd);
    } while (++i < argc);
    if (optind < argc && failed == argc - optind) {
        fprintf(stderr, "hexdump: all input file arguments failed\n");
        return 1;
    }
    if (have > 0)
        line(buf, have);
    if (offset > 0) /* empty input: no output at all */
        printf("%08llx\n", offset);
    return status;
}
