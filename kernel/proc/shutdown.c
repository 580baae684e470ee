/*
 * Shutting down: sync first, so every change made before the call is on the
 * medium when the power goes, and mark the volume cleanly unmounted (so the
 * next boot does not ask for fsck.fat), then leave through the power driver.
 *
 * A failed sync is logged and the shutdown goes on: there is nobody left to
 * return the error to, and halting instead would lose the same data.
 *
 * Context: task.
 * See: docs/storage.md
 */
#include "proc/shutdown.h"

#include "drivers/power.h"
#include "fs/vfs.h"
#include "lib/portable.h"

static void sync_disks(void)
{
    int err = vfs_sync_clean();
    if (err < 0)
        klog(LOG_ERR, "power: sync failed (%d); changes may be lost", err);
    else
        klog(LOG_INFO, "power: disks synced");
}

void shutdown_power_off(void)
{
    sync_disks();
    power_off();
}

void shutdown_power_off_acpi(void)
{
    sync_disks();
    power_off_acpi();
}

void shutdown_reboot(void)
{
    sync_disks();
    power_reboot();
}
