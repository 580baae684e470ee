/*
 * Shutting down: the root volume synced, then the power driver.
 *
 * The policy sits above the file system, because it needs both: the
 * driver (kernel/drivers/power.c) only knows how to turn the machine off,
 * and the file system only how to sync. Init's end and the reboot call
 * come here.
 *
 * Context: task (syncing the disk sleeps).
 * See: docs/storage.md
 */
#pragma once

/*
 * Syncs the root volume (logging the result), then power_off(): under the
 * harness through isa-debug-exit (QEMU exits 37), otherwise ACPI S5.
 * Never returns.
 */
void shutdown_power_off(void) __attribute__((noreturn));

/* Syncs, then power_off_acpi(), even under the harness. Never returns. */
void shutdown_power_off_acpi(void) __attribute__((noreturn));

/* Syncs, then power_reboot() (the 8042's reset line). Never returns. */
void shutdown_reboot(void) __attribute__((noreturn));
