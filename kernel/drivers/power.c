/*
 * Power-off and restart: leave the way the machine allows.
 *
 * This is the driver alone: syncing the disk first is the policy of
 * kernel/proc/shutdown.c, a floor above the file system. Under the harness
 * the door is
 * isa-debug-exit, so a test can tell a clean power-off (exit 37) from a
 * crash; otherwise ACPI S5 (kernel/drivers/acpi.c). Restart pulses the CPU
 * reset line through the 8042 keyboard controller, which every PC and
 * QEMU's pc machine wire up.
 *
 * Context: task.
 * See: docs/storage.md
 */
#include "drivers/power.h"

#include "arch/x86_64/cpu.h"
#include "drivers/acpi.h"
#include "drivers/debugexit.h"
#include "lib/portable.h"

#define KBC_STATUS     0x64 /* 8042 status (read) and command (write) */
#define KBC_INPUT_FULL 0x02 /* the controller has not taken the last byte */
#define KBC_CMD_RESET  0xfe /* pulse output line 0: the CPU's reset */
#define KBC_WAIT_POLLS 100000

void power_off_acpi(void)
{
    klog(LOG_INFO, "power: powering off through ACPI S5");
    int err = acpi_power_off();
    klog(LOG_ERR, "power: ACPI power-off failed (%d); halting", err);
    cpu_halt_forever();
}

void power_off(void)
{
    if (debugexit_enabled()) {
        klog(LOG_INFO, "power: off (harness)");
        debugexit_exit(DEBUGEXIT_POWEROFF);
    }
    power_off_acpi();
}

void power_reboot(void)
{
    klog(LOG_INFO, "power: restarting");
    for (int i = 0; i < KBC_WAIT_POLLS && (inb(KBC_STATUS) & KBC_INPUT_FULL);
         i++)
        ;
    outb(KBC_STATUS, KBC_CMD_RESET);
    for (int i = 0; i < KBC_WAIT_POLLS; i++)
        io_wait();
    klog(LOG_ERR, "power: the keyboard controller did not reset; halting");
    cpu_halt_forever();
}
