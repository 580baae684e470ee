/*
 * Tab completion: the word before the cursor, finished from what exists.
 *
 * The first word of a command (at the start of the line or after ; | &)
 * that has no '/' is completed from the builtins and the programs in the
 * folders of $PATH; any other word from the file names of its folder
 * ("src/ma" looks in src/ for names starting with "ma"). One candidate is
 * inserted whole, with a '/' after a folder and a space after anything
 * else; several are inserted as far as they agree, and when they agree no
 * further, they are listed below the line, as bash does on a second tab.
 *
 * See: docs/userland.md
 */
#include "sh.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

struct cands {
    char **v;
    int n, cap;
};

static void add(struct cands *c, const char *s, bool dir)
{
    if (c->n == c->cap) {
        c->cap = c->cap ? 2 * c->cap : 32;
        c->v = realloc(c->v, sizeof(char *) * (size_t)c->cap);
    }
    size_t len = strlen(s);
    char *copy = malloc(len + 2);
    memcpy(copy, s, len);
    copy[len] = dir ? '/' : '\0'; /* a folder's name ends with '/' */
    copy[len + 1] = '\0';
    c->v[c->n++] = copy;
}

/* Adds the names in folder dir that start with prefix, as pre + name. */
static void add_folder(struct cands *c, const char *dir, const char *pre,
                       const char *prefix, bool programs)
{
    const char *base = *dir ? dir : "./";
    bool slash = base[strlen(base) - 1] == '/';
    DIR *d = opendir(base);
    if (!d)
        return;
    size_t plen = strlen(prefix);
    struct dirent *e;
    while ((e = readdir(d))) {
        if (strncmp(e->d_name, prefix, plen) != 0 ||
            strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0 ||
            (e->d_name[0] == '.' && prefix[0] != '.'))
            continue;
        char full[1024];
        struct stat st;
        snprintf(full, sizeof full, "%s%s%s", base, slash ? "" : "/",
                 e->d_name);
        bool is_dir = stat(full, &st) == 0 && S_ISDIR(st.st_mode);
        if (programs && is_dir)
            continue;
        char name[1024];
        snprintf(name, sizeof name, "%s%s", pre, e->d_name);
        add(c, name, is_dir && !programs);
    }
    closedir(d);
}

static void add_commands(struct cands *c, const char *word)
{
    for (int i = 0; builtin_name(i); i++)
        if (strncmp(builtin_name(i), word, strlen(word)) == 0)
            add(c, builtin_name(i), false);
    const char *path = var_get("PATH");
    char *dirs = strdup(path ? path : SH_DEFAULT_PATH);
    char *save = NULL;
    for (char *d = strtok_r(dirs, ":", &save); d;
         d = strtok_r(NULL, ":", &save))
        add_folder(c, d, "", word, true);
    free(dirs);
}

static void add_files(struct cands *c, const char *word)
{
    const char *slash = strrchr(word, '/');
    if (!slash) {
        add_folder(c, "", "", word, false);
        return;
    }
    size_t dlen = (size_t)(slash - word) + 1;
    char *dir = strndup(word, dlen);
    add_folder(c, dir, dir, slash + 1, false);
    free(dir);
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorts and drops repeats (a program in two PATH folders). */
static void sort_unique(struct cands *c)
{
    qsort(c->v, (size_t)c->n, sizeof(char *), by_name);
    int kept = 0;
    for (int i = 0; i < c->n; i++) {
        if (kept > 0 && strcmp(c->v[kept - 1], c->v[i]) == 0)
            free(c->v[i]);
        else
            c->v[kept++] = c->v[i];
    }
    c->n = kept;
}

static void list(const struct cands *c)
{
    fputc('\n', stderr);
    for (int i = 0; i < c->n; i++) {
        const char *s = c->v[i];
        const char *base = strrchr(s, '/');
        /* "dir/name" shows as "name"; "dir/" as "dir/" */
        if (base && base[1])
            s = base + 1;
        fprintf(stderr, "%s%s", s, i + 1 < c->n ? "  " : "\n");
    }
}

/* Inserts n bytes of s at pos; returns the new cursor. */
static size_t insert(char *line, size_t cap, size_t pos, const char *s,
                     size_t n)
{
    size_t len = strlen(line);
    if (len + n + 1 > cap)
        return pos;
    memmove(line + pos + n, line + pos, len - pos + 1);
    memcpy(line + pos, s, n);
    return pos + n;
}

size_t complete(char *line, size_t cap, size_t pos)
{
    size_t start = pos;
    while (start > 0 && !strchr(" \t;|&<>", line[start - 1]))
        start--;
    size_t before = start;
    while (before > 0 && line[before - 1] == ' ')
        before--;
    bool command = before == 0 || strchr(";|&", line[before - 1]);
    char *word = strndup(line + start, pos - start);
    struct cands c = {0};
    if (command && !strchr(word, '/'))
        add_commands(&c, word);
    else
        add_files(&c, word);
    sort_unique(&c);

    size_t wlen = strlen(word);
    if (c.n == 1) {
        size_t n = strlen(c.v[0]);
        bool dir = c.v[0][n - 1] == '/';
        pos = insert(line, cap, pos, c.v[0] + wlen, n - wlen);
        if (!dir)
            pos = insert(line, cap, pos, " ", 1);
    } else if (c.n > 1) {
        size_t common = strlen(c.v[0]);
        for (int i = 1; i < c.n; i++) {
            size_t k = 0;
            while (k < common && c.v[i][k] == c.v[0][k])
                k++;
            common = k;
        }
        if (common > wlen)
            pos = insert(line, cap, pos, c.v[0] + wlen, common - wlen);
        else
            list(&c);
    }
    for (int i = 0; i < c.n; i++)
        free(c.v[i]);
    free(c.v);
    free(word);
    return pos;
}
