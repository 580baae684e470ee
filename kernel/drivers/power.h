/*
 * Turning the machine off or restarting it, with the disk synced first.
 *
 * Context: task (syncing the disk sleeps).
 * See: docs/storage.md
 */
#pragma once

/*
 * Syncs the root volume, then powers off: under the harness through
 * isa-debug-exit with DEBUGEXIT_POWEROFF (QEMU exits 37), otherwise through
 * ACPI S5. If neither works it logs why and halts. Never returns.
 */
void power_off(void) __attribute__((noreturn));

/*
 * Syncs, then powers off through ACPI S5 even under the harness (the test
 * of the real path: QEMU exits 0). Never returns.
 */
void power_off_acpi(void) __attribute__((noreturn));

/*
 * Syncs, then resets the machine through the keyboard controller's reset
 * line (command 0xFE), halting if that fails. Never returns.
 */
void power_reboot(void) __attribute__((noreturn));
