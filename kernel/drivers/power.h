/*
 * Turning the machine off or restarting it: the hardware's doors.
 *
 * These do not sync the disk; kernel/proc/shutdown.c does that first and
 * then calls them.
 *
 * Context: task.
 * See: docs/storage.md
 */
#pragma once

/*
 * Powers off: under the harness through isa-debug-exit with
 * DEBUGEXIT_POWEROFF (QEMU exits 37), otherwise through ACPI S5. If neither
 * works it logs why and halts. Never returns.
 */
void power_off(void) __attribute__((noreturn));

/*
 * Powers off through ACPI S5 even under the harness (the test of the real
 * path: QEMU exits 0). Never returns.
 */
void power_off_acpi(void) __attribute__((noreturn));

/*
 * Resets the machine through the keyboard controller's reset line (command
 * 0xFE), halting if that fails. Never returns.
 */
void power_reboot(void) __attribute__((noreturn));
