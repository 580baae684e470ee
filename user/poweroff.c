/*
 * poweroff: syncs the disk, then powers the machine off (ACPI S5).
 *
 * See: docs/userland.md
 */
#include <sys/reboot.h>

#include "power.h"

int main(int argc, char **argv)
{
    return power_main(argc, argv, "poweroff", RB_POWER_OFF);
}
