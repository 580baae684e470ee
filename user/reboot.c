/*
 * reboot: syncs the disk, then restarts the machine.
 *
 * The kernel syncs too before it acts, but syncing here first means a
 * refusal (reboot() returns) still leaves the disk written.
 *
 * See: docs/userland.md
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/reboot.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    (void)argv;
    if (argc > 1) {
        fprintf(stderr, "usage: reboot\n");
        return 1;
    }
    sync();
    reboot(RB_AUTOBOOT);
    fprintf(stderr, "reboot: %s\n", strerror(errno));
    return 1;
}
