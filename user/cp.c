/*
 * cp: copies files; -r copies folders with everything in them.
 *
 *   cp file new          copy (an existing "new" is overwritten)
 *   cp a b ... folder    each into folder, keeping its name
 *
 * Data moves in 64 KiB reads and writes. A short write (a full disk) is
 * reported with the name and the reason, and the copy counts as failed.
 *
 * See: docs/userland.md
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "usage.h"

#define CP_CHUNK  (64 * 1024)
#define FILE_MODE 0666
#define DIR_MODE  0777

static bool recursive;

static char *join(const char *dir, const char *name)
{
    size_t len = strlen(dir) + strlen(name) + 2;
    char *s = malloc(len);
    snprintf(s, len, "%s/%s", dir, name);
    return s;
}

static int copy_file(const char *from, const char *to)
{
    static char buf[CP_CHUNK];
    int in = open(from, O_RDONLY);
    if (in < 0) {
        fprintf(stderr, "cp: cannot open '%s': %s\n", from, strerror(errno));
        return 1;
    }
    int out = open(to, O_WRONLY | O_CREAT | O_TRUNC, FILE_MODE);
    if (out < 0) {
        fprintf(stderr, "cp: cannot create '%s': %s\n", to, strerror(errno));
        close(in);
        return 1;
    }
    int status = 0;
    ssize_t n;
    while ((n = read(in, buf, sizeof buf)) > 0) {
        if (write(out, buf, (size_t)n) != n) {
            fprintf(stderr, "cp: error writing '%s': %s\n", to,
                    strerror(errno ? errno : ENOSPC));
            status = 1;
            break;
        }
    }
    if (n < 0) {
        fprintf(stderr, "cp: error reading '%s': %s\n", from, strerror(errno));
        status = 1;
    }
    close(in);
    close(out);
    return status;
}

static int copy(const char *from, const char *to);

static int copy_tree(const char *from, const char *to)
{
    if (mkdir(to, DIR_MODE) != 0 && errno != EEXIST) {
        fprintf(stderr, "cp: cannot create directory '%s': %s\n", to,
                strerror(errno));
        return 1;
    }
    DIR *d = opendir(from);
    if (!d) {
        fprintf(stderr, "cp: cannot open '%s': %s\n", from, strerror(errno));
        return 1;
    }
    int status = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        char *src = join(from, e->d_name), *dst = join(to, e->d_name);
        status |= copy(src, dst);
        free(src);
        free(dst);
    }
    closedir(d);
    return status;
}

static int copy(const char *from, const char *to)
{
    struct stat st;
    if (stat(from, &st) != 0) {
        fprintf(stderr, "cp: cannot stat '%s': %s\n", from, strerror(errno));
        return 1;
    }
    if (!S_ISDIR(st.st_mode))
        return copy_file(from, to);
    if (recursive)
        return copy_tree(from, to);
    fprintf(stderr, "cp: -r not specified; omitting directory '%s'\n", from);
    return 1;
}

int main(int argc, char **argv)
{
    usage_help(argc, argv,
               "usage: cp [-r] source target | "
               "cp [-r] source... folder\n");
    int opt;
    while ((opt = getopt(argc, argv, "rR")) != -1) {
        if (opt != 'r' && opt != 'R') {
            fprintf(stderr, "usage: cp [-r] source target | "
                            "cp [-r] source... folder\n");
            return 1;
        }
        recursive = true;
    }
    if (argc - optind < 2) {
        fprintf(stderr, "usage: cp [-r] source target | "
                        "cp [-r] source... folder\n");
        return 1;
    }
    const char *target = argv[argc - 1];
    struct stat st;
    bool into = stat(target, &st) == 0 && S_ISDIR(st.st_mode);
    if (!into) {
        if (argc - optind > 2) {
            fprintf(stderr, "cp: target '%s' is not a directory\n", target);
            return 1;
        }
        return copy(argv[optind], target);
    }
    int status = 0;
    for (int i = optind; i < argc - 1; i++) {
        char *name = strdup(argv[i]);
        char *dest = join(target, basename(name));
        status |= copy(argv[i], dest);
        free(dest);
        free(name);
    }
    return status;
}
