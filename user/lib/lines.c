/*
 * Files as arrays of lines: read whole, cut at '\n'.
 *
 * The file is read with io_read_all() and each line copied out of it, so
 * a line's text is its own allocation and a caller may keep lines from
 * several inputs. A last line without '\n' is a line all the same; the
 * caller learns of the missing newline from last_has_newline.
 *
 * See: docs/userland.md
 */
#include "lines.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "io.h"

static int push(struct lines *ls, const char *s, size_t len)
{
    if (ls->count == ls->cap) {
        size_t cap = ls->cap ? ls->cap * 2 : 64;
        struct line *v = realloc(ls->v, cap * sizeof *v);
        if (!v)
            return -ENOMEM;
        ls->v = v;
        ls->cap = cap;
    }
    char *text = malloc(len + 1);
    if (!text)
        return -ENOMEM;
    memcpy(text, s, len);
    text[len] = '\0';
    ls->v[ls->count++] = (struct line){.text = text, .len = len};
    return 0;
}

int lines_read_fd(struct lines *ls, int fd)
{
    size_t len;
    char *all = io_read_all(fd, &len);
    if (!all)
        return -errno;
    int err = 0;
    size_t at = 0;
    while (at < len && err == 0) {
        char *nl = memchr(all + at, '\n', len - at);
        size_t end = nl ? (size_t)(nl - all) : len;
        err = push(ls, all + at, end - at);
        at = end + 1;
    }
    ls->last_has_newline = len == 0 || all[len - 1] == '\n';
    free(all);
    return err;
}

int lines_read_path(struct lines *ls, const char *path)
{
    if (strcmp(path, "-") == 0)
        return lines_read_fd(ls, STDIN_FILENO);
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        return -errno;
    int err = lines_read_fd(ls, fd);
    close(fd);
    return err;
}

void lines_free(struct lines *ls)
{
    for (size_t i = 0; i < ls->count; i++)
        free(ls->v[i].text);
    free(ls->v);
    *ls = (struct lines){0};
}
