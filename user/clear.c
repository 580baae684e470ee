/*
 * clear: clears the terminal (ESC [ H, ESC [ 2 J: cursor home, erase all).
 *
 * See: docs/userland.md
 */
#include <stdio.h>

#include "usage.h"

int main(int argc, char **argv)
{
    usage_help(argc, argv, "usage: clear\n");
    (void)argv;
    if (argc > 1) {
        fprintf(stderr, "usage: clear\n");
        return 1;
    }
    fputs("\x1b[H\x1b[2J", stdout);
    return 0;
}
