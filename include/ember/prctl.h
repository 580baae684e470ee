/*
 * prctl's and arch_prctl's codes and reboot's magic numbers (Linux x86_64
 * values).
 *
 * Shared by the kernel and user programs. musl calls arch_prctl(ARCH_SET_FS)
 * once at startup to point %fs at its thread block; reboot needs both magic
 * numbers before it powers off (ACPI S5) or restarts.
 *
 * Portable: yes.
 * See: docs/syscalls.md
 */
#pragma once

#define PR_SET_NAME 15 /* the thread's name: 16 bytes with the NUL */
#define PR_GET_NAME 16

#define ARCH_SET_GS 0x1001
#define ARCH_SET_FS 0x1002
#define ARCH_GET_FS 0x1003
#define ARCH_GET_GS 0x1004

#define REBOOT_MAGIC1        0xfee1dead
#define REBOOT_MAGIC2        672274793 /* 0x28121969 */
#define REBOOT_CMD_RESTART   0x01234567
#define REBOOT_CMD_HALT      0xcdef0123
#define REBOOT_CMD_POWER_OFF 0x4321fedc
