/*
 * The read builtin: one line of standard input into variables.
 *
 *   read [-r] [-p prompt] name...
 *
 * The line is read one byte at a time, so that nothing after its newline
 * is taken from a pipe or file the next command will read. Without -r a
 * backslash escapes the next character (which then never splits) and a
 * backslash before the newline continues the line. The line is split at
 * $IFS as expand.c splits words: each name but the last takes one field,
 * the last takes the rest, less the $IFS blanks around it. The status is
 * 1 at the end of input, the names still set from what was read.
 *
 * See: docs/userland.md
 */
#include "sh.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct line {
    char *s;
    bool *esc; /* escaped: never a delimiter */
    size_t len, cap;
};

static void add(struct line *l, char c, bool esc)
{
    if (l->len + 2 > l->cap) {
        l->cap = l->cap ? 2 * l->cap : 128;
        l->s = realloc(l->s, l->cap);
        l->esc = realloc(l->esc, l->cap * sizeof *l->esc);
    }
    l->esc[l->len] = esc;
    l->s[l->len++] = c;
    l->s[l->len] = '\0';
}

/* Reads up to a newline; false at the end of input. */
static bool read_line(struct line *l, bool raw)
{
    char c;
    bool escaped = false;
    for (;;) {
        if (read(STDIN_FILENO, &c, 1) != 1)
            return false;
        if (escaped) {
            escaped = false;
            if (c != '\n')
                add(l, c, true);
        } else if (c == '\\' && !raw) {
            escaped = true;
        } else if (c == '\n') {
            return true;
        } else {
            add(l, c, false);
        }
    }
}

static bool is_ifs(const struct line *l, size_t i, const char *ifs)
{
    return !l->esc[i] && l->s[i] && strchr(ifs, l->s[i]);
}

static bool is_ifs_blank(const struct line *l, size_t i, const char *ifs)
{
    return is_ifs(l, i, ifs) && strchr(" \t\n", l->s[i]);
}

int read_run(int argc, char **argv)
{
    bool raw = false;
    int i = 1;
    for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
        if (strcmp(argv[i], "--") == 0) {
            i++;
            break;
        }
        if (strcmp(argv[i], "-r") == 0) {
            raw = true;
        } else if (strcmp(argv[i], "-p") == 0 && i + 1 < argc) {
            fputs(argv[++i], stderr);
        } else {
            sh_error("read: %s: invalid option", argv[i]);
            return SH_STATUS_SYNTAX;
        }
    }
    if (i == argc) {
        sh_error("read: arg count");
        return SH_STATUS_SYNTAX;
    }
    fflush(stdout);
    struct line l = {0};
    add(&l, '\0', false);
    l.len = 0;
    bool got = read_line(&l, raw);
    const char *ifs = var_get("IFS");
    if (!ifs)
        ifs = " \t\n";
    size_t p = 0;
    while (p < l.len && is_ifs_blank(&l, p, ifs))
        p++;
    int status = got ? 0 : 1;
    for (; i < argc; i++) {
        size_t start = p, end;
        if (i == argc - 1) {
            end = l.len;
            while (end > start && is_ifs_blank(&l, end - 1, ifs))
                end--;
            p = l.len;
        } else {
            while (p < l.len && !is_ifs(&l, p, ifs))
                p++;
            end = p;
            while (p < l.len && is_ifs_blank(&l, p, ifs))
                p++;
            if (p < l.len && is_ifs(&l, p, ifs)) {
                p++; /* one other $IFS character, blanks around it */
                while (p < l.len && is_ifs_blank(&l, p, ifs))
                    p++;
            }
        }
        char *value = strndup(l.s + start, end - start);
        if (!var_is_name(argv[i], strlen(argv[i]))) {
            sh_error("read: %s: bad variable name", argv[i]);
            status = SH_STATUS_SYNTAX;
        } else if (!var_set(argv[i], value, false)) {
            status = SH_STATUS_SYNTAX;
        }
        free(value);
    }
    free(l.s);
    free(l.esc);
    return status;
}
