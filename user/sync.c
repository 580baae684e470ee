/*
 * sync: writes every cached block to the disk.
 *
 * See: docs/userland.md
 */
#include <stdio.h>
#include <unistd.h>

#include "usage.h"

int main(int argc, char **argv)
{
    usage_help(argc, argv, "usage: sync\n");
    (void)argv;
    if (argc > 1) {
        fprintf(stderr, "usage: sync\n");
        return 1;
    }
    sync();
    return 0;
}
