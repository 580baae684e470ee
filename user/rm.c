/*
 * rm: removes files; -r removes folders with everything in them, -f
 * is quiet about files that do not exist.
 *
 * A folder without -r is refused ("Is a directory"), as GNU rm does. -r
 * empties a folder depth first (its entries read before any is removed,
 * so removing does not disturb the listing) and then removes it.
 *
 * See: docs/userland.md
 */
#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "usage.h"

static bool recursive, force;

static int remove_path(const char *path);

/* Removes everything in folder path, then the folder. */
static int remove_tree(const char *path)
{
    DIR *d = opendir(path);
    if (!d) {
        fprintf(stderr, "rm: cannot open '%s': %s\n", path, strerror(errno));
        return 1;
    }
    char **names = NULL;
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        names = realloc(names, sizeof *names * (n + 1));
        names[n++] = strdup(e->d_name);
    }
    closedir(d);
    int status = 0;
    for (size_t i = 0; i < n; i++) {
        size_t len = strlen(path) + strlen(names[i]) + 2;
        char *child = malloc(len);
        snprintf(child, len, "%s/%s", path, names[i]);
        status |= remove_path(child);
        free(child);
        free(names[i]);
    }
    free(names);
    if (rmdir(path) != 0) {
        fprintf(stderr, "rm: cannot remove '%s': %s\n", path, strerror(errno));
        return 1;
    }
    return status;
}

static int remove_path(const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        if (force && errno == ENOENT)
            return 0;
        fprintf(stderr, "rm: cannot remove '%s': %s\n", path, strerror(errno));
        return 1;
    }
    if (S_ISDIR(st.st_mode)) {
        if (recursive)
            return remove_tree(path);
        fprintf(stderr, "rm: cannot remove '%s': Is a directory\n", path);
        return 1;
    }
    if (unlink(path) != 0) {
        fprintf(stderr, "rm: cannot remove '%s': %s\n", path, strerror(errno));
        return 1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    usage_help(argc, argv, "usage: rm [-rf] file...\n");
    int opt;
    while ((opt = getopt(argc, argv, "rRf")) != -1) {
        if (opt == 'f') {
            force = true;
        } else if (opt == 'r' || opt == 'R') {
            recursive = true;
        } else {
            fprintf(stderr, "usage: rm [-rf] file...\n");
            return 1;
        }
    }
    if (optind == argc && !force) {
        fprintf(stderr, "usage: rm [-rf] file...\n");
        return 1;
    }
    int status = 0;
    for (int i = optind; i < argc; i++)
        status |= remove_path(argv[i]);
    return status;
}
