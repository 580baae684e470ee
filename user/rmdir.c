/*
 * rmdir: removes empty folders.
 *
 * See: docs/userland.md
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "usage.h"

int main(int argc, char **argv)
{
    usage_help(argc, argv, "usage: rmdir folder...\n");
    if (argc < 2 || argv[1][0] == '-') {
        fprintf(stderr, "usage: rmdir folder...\n");
        return 1;
    }
    int status = 0;
    for (int i = 1; i < argc; i++) {
        if (rmdir(argv[i]) != 0) {
            fprintf(stderr, "rmdir: failed to remove '%s': %s\n", argv[i],
                    strerror(errno));
            status = 1;
        }
    }
    return status;
}
