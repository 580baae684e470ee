/*
 * Files as arrays of lines, for the programs that need all of their input
 * at once (sort) or two inputs side by side (diff).
 *
 * See: docs/userland.md
 */
#pragma once

#include <stddef.h>

struct line {
    char *text; /* without its '\n'; NUL-terminated */
    size_t len;
};

struct lines {
    struct line *v;
    size_t count, cap;
    int last_has_newline; /* the input's last line ended with '\n' */
};

/*
 * Appends the lines of fd to ls (the text is copied). Returns 0 or -errno
 * (ENOMEM, or a read error).
 */
int lines_read_fd(struct lines *ls, int fd);

/* lines_read_fd() of the file at path, "-" being standard input. */
int lines_read_path(struct lines *ls, const char *path);

void lines_free(struct lines *ls);
