/*
 * reboot: syncs the disk, then restarts the machine.
 *
 * See: docs/userland.md
 */
#include <sys/reboot.h>

#include "power.h"

int main(int argc, char **argv)
{
    return power_main(argc, argv, "reboot", RB_AUTOBOOT);
}
