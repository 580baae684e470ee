/*
 * touch: makes each file that does not exist, empty.
 *
 * An existing file is left as it is: Ember has no call to set a file's
 * times yet (utimensat), so its modification time does not change.
 *
 * See: docs/userland.md
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "usage.h"

#define FILE_MODE 0666

int main(int argc, char **argv)
{
    usage_help(argc, argv, "usage: touch file...\n");
    if (argc < 2 || argv[1][0] == '-') {
        fprintf(stderr, "usage: touch file...\n");
        return 1;
    }
    int status = 0;
    for (int i = 1; i < argc; i++) {
        int fd = open(argv[i], O_WRONLY | O_CREAT, FILE_MODE);
        if (fd < 0) {
            fprintf(stderr, "touch: cannot touch '%s': %s\n", argv[i],
                    strerror(errno));
            status = 1;
            continue;
        }
        close(fd);
    }
    return status;
}
