/*
 * wc: counts the lines, words and bytes of files or standard input.
 *
 * The output is GNU wc's, byte for byte (in the C locale): the counts are
 * right-aligned to one width, the digits of the total size of the regular
 * files given, at least 7 when an input is not a regular file (a pipe, a
 * terminal), and 1 when there is a single input and a single count; a
 * "total" line follows when there are several files. A word is a run of
 * printable characters between white space, as GNU counts them in the C
 * locale (a control character neither starts nor ends a word).
 *
 * See: docs/userland.md
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "io.h"
#include "usage.h"

#define WC_PIPE_WIDE 7 /* GNU's width when a size is unknown */

struct counts {
    unsigned long long lines, words, bytes;
};

static bool show_lines, show_words, show_bytes;

/* Where a count is in its input: a word may go on across chunks. */
struct counting {
    struct counts *c;
    bool in_word;
};

static int count_chunk(const char *buf, size_t n, void *ctx)
{
    struct counting *k = ctx;
    k->c->bytes += n;
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)buf[i];
        if (ch == '\n')
            k->c->lines++;
        if (isspace(ch)) {
            k->in_word = false;
        } else if (isprint(ch) && !k->in_word) {
            k->in_word = true;
            k->c->words++;
        }
    }
    return 0;
}

static int count_fd(int fd, const char *name, struct counts *c)
{
    struct counting k = {.c = c, .in_word = false};
    int r = io_each_chunk(fd, count_chunk, &k);
    if (r < 0) {
        fprintf(stderr, "wc: %s: %s\n", name, strerror(-r));
        return 1;
    }
    return 0;
}

static void print(const struct counts *c, int width, const char *name)
{
    const char *sep = "";
    if (show_lines) {
        printf("%*llu", width, c->lines);
        sep = " ";
    }
    if (show_words) {
        printf("%s%*llu", sep, width, c->words);
        sep = " ";
    }
    if (show_bytes)
        printf("%s%*llu", sep, width, c->bytes);
    if (name)
        printf(" %s", name);
    putchar('\n');
}

/* GNU's compute_number_width(). */
static int number_width(int nfiles, char **files)
{
    if (nfiles <= 1 && show_lines + show_words + show_bytes == 1)
        return 1;
    unsigned long long total = 0;
    int width = 1, minimum = 1;
    for (int i = 0; i < nfiles || (nfiles == 0 && i == 0); i++) {
        struct stat st;
        int err = nfiles ? stat(files[i], &st) : fstat(STDIN_FILENO, &st);
        if (err == 0 && S_ISREG(st.st_mode))
            total += (unsigned long long)st.st_size;
        else if (err == 0)
            minimum = WC_PIPE_WIDE; /* a file that fails counts for none */
    }
    for (; total >= 10; total /= 10)
        width++;
    return width < minimum ? minimum : width;
}

int main(int argc, char **argv)
{
    usage_help(argc, argv, "usage: wc [-lwc] [file...]\n");
    int opt;
    while ((opt = getopt(argc, argv, "lwcm")) != -1) {
        if (opt == 'l') {
            show_lines = true;
        } else if (opt == 'w') {
            show_words = true;
        } else if (opt == 'c' || opt == 'm') {
            show_bytes = true; /* -m: characters are bytes in C */
        } else {
            fprintf(stderr, "usage: wc [-lwc] [file...]\n");
            return 1;
        }
    }
    if (!show_lines && !show_words && !show_bytes)
        show_lines = show_words = show_bytes = true;
    int nfiles = argc - optind;
    char **files = argv + optind;
    int width = number_width(nfiles, files);
    struct counts total = {0};
    int status = 0;
    if (nfiles == 0) {
        struct counts c = {0};
        status = count_fd(STDIN_FILENO, "-", &c);
        print(&c, width, NULL);
        return status;
    }
    for (int i = 0; i < nfiles; i++) {
        struct counts c = {0};
        int fd = strcmp(files[i], "-") == 0 ? STDIN_FILENO
                                            : open(files[i], O_RDONLY);
        if (fd < 0) {
            fprintf(stderr, "wc: %s: %s\n", files[i], strerror(errno));
            status = 1;
            continue;
        }
        if (count_fd(fd, files[i], &c) != 0) {
            status = 1;
        } else {
            print(&c, width, files[i]);
            total.lines += c.lines;
            total.words += c.words;
            total.bytes += c.bytes;
        }
        if (fd != STDIN_FILENO)
            close(fd);
    }
    if (nfiles > 1)
        print(&total, width, "total");
    return status;
}
