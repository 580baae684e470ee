/*
 * mkdir: makes folders; -p makes the missing parents too and accepts a
 * folder that already exists.
 *
 * See: docs/userland.md
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "usage.h"

#define DIR_MODE 0777 /* FAT32 keeps no modes */

static int make(char *path, bool parents)
{
    if (parents) {
        for (char *p = path + 1; *p; p++) {
            if (*p != '/')
                continue;
            *p = '\0';
            int err = mkdir(path, DIR_MODE) != 0 && errno != EEXIST;
            *p = '/';
            if (err)
                break; /* the final mkdir reports it */
        }
    }
    if (mkdir(path, DIR_MODE) == 0)
        return 0;
    struct stat st;
    if (parents && errno == EEXIST && stat(path, &st) == 0 &&
        S_ISDIR(st.st_mode))
        return 0;
    fprintf(stderr, "mkdir: cannot create directory '%s': %s\n", path,
            strerror(errno));
    return 1;
}

int main(int argc, char **argv)
{
    usage_help(argc, argv, "usage: mkdir [-p] folder...\n");
    bool parents = false;
    int opt;
    while ((opt = getopt(argc, argv, "p")) != -1) {
        if (opt != 'p') {
            fprintf(stderr, "usage: mkdir [-p] folder...\n");
            return 1;
        }
        parents = true;
    }
    if (optind == argc) {
        fprintf(stderr, "usage: mkdir [-p] folder...\n");
        return 1;
    }
    int status = 0;
    for (int i = optind; i < argc; i++)
        status |= make(argv[i], parents);
    return status;
}
