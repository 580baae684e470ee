/*
 * mv: renames a file or folder, or moves files into a folder.
 *
 *   mv old new           rename (an existing file "new" is replaced)
 *   mv a b ... folder    each into folder, keeping its name
 *
 * Both are rename(): Ember has one filesystem for files, so nothing ever
 * needs copying across filesystems.
 *
 * See: docs/userland.md
 */
#include <errno.h>
#include <libgen.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "usage.h"

static int move(const char *from, const char *to)
{
    if (rename(from, to) == 0)
        return 0;
    fprintf(stderr, "mv: cannot move '%s' to '%s': %s\n", from, to,
            strerror(errno));
    return 1;
}

int main(int argc, char **argv)
{
    usage_help(argc, argv, "usage: mv source target | mv source... folder\n");
    if (argc < 3 || argv[1][0] == '-') {
        fprintf(stderr, "usage: mv source target | mv source... folder\n");
        return 1;
    }
    const char *target = argv[argc - 1];
    struct stat st;
    bool into = stat(target, &st) == 0 && S_ISDIR(st.st_mode);
    if (!into) {
        if (argc > 3) {
            fprintf(stderr, "mv: target '%s' is not a directory\n", target);
            return 1;
        }
        return move(argv[1], target);
    }
    int status = 0;
    for (int i = 1; i < argc - 1; i++) {
        char *copy = strdup(argv[i]);
        size_t len = strlen(target) + strlen(argv[i]) + 2;
        char *dest = malloc(len);
        snprintf(dest, len, "%s/%s", target, basename(copy));
        status |= move(argv[i], dest);
        free(dest);
        free(copy);
    }
    return status;
}
