/*
 * poweroff and reboot: sync the disk, then power off or restart.
 *
 * The kernel syncs too before it acts, but syncing here first means a
 * refusal (reboot() returns) still leaves the disk written.
 *
 * See: docs/userland.md
 */
#include "power.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/reboot.h>
#include <unistd.h>

#include "usage.h"

int power_main(int argc, char **argv, const char *prog, int how)
{
    char usage[64];
    snprintf(usage, sizeof usage, "usage: %s\n", prog);
    usage_help(argc, argv, usage);
    if (argc > 1) {
        fputs(usage, stderr);
        return 1;
    }
    sync();
    reboot(how);
    fprintf(stderr, "%s: %s\n", prog, strerror(errno));
    return 1;
}
