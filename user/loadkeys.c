/*
 * loadkeys: chooses the keyboard layout of the console.
 *
 *   loadkeys          prints the layout in use
 *   loadkeys de       switches to it: us, uk, de or fr
 *
 * Ember's layouts are built into the kernel (kernel/drivers/keylayout.c),
 * so unlike Linux's loadkeys this reads no keymap file: it names one,
 * through the console's EMBER_KDSETKEYMAP request. The kernel option
 * keymap= chooses the layout at boot.
 *
 * See: docs/console.md
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <ember/kd.h>

#include "usage.h"

#define USAGE "usage: loadkeys [us|uk|de|fr]\n"

int main(int argc, char **argv)
{
    usage_help(argc, argv, USAGE);
    if (argc > 2 || (argc == 2 && argv[1][0] == '-')) {
        fprintf(stderr, USAGE);
        return 1;
    }
    int fd = open("/dev/console", O_RDWR);
    if (fd < 0) {
        fprintf(stderr, "loadkeys: /dev/console: %s\n", strerror(errno));
        return 1;
    }
    char name[EMBER_KEYMAP_NAME_MAX] = {0};
    if (argc == 1) {
        if (ioctl(fd, EMBER_KDGETKEYMAP, name) < 0) {
            fprintf(stderr, "loadkeys: %s\n", strerror(errno));
            return 1;
        }
        printf("%s\n", name);
        return 0;
    }
    strncpy(name, argv[1], sizeof name - 1);
    if (strlen(argv[1]) >= sizeof name ||
        ioctl(fd, EMBER_KDSETKEYMAP, name) < 0) {
        fprintf(stderr, "loadkeys: no layout '%s' (us, uk, de, fr)\n", argv[1]);
        return 1;
    }
    return 0;
}
