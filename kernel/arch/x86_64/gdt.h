/*
 * The GDT and the TSS: segment selectors and the per-CPU kernel stacks the
 * CPU switches to on interrupts.
 *
 * The order is fixed by SYSCALL/SYSRET: STAR[47:32] = GDT_KERNEL_CODE gives
 * CS = 0x08 and SS = 0x10 on entry; STAR[63:48] = GDT_KERNEL_DATA | 3 gives
 * SS = 0x18 | 3 (user data) and CS = 0x20 | 3 (user code) on return.
 *
 * Context: boot (gdt_init); tss_set_kernel_stack() from the scheduler.
 * See: docs/boot.md
 */
#pragma once

#include <stdint.h>

#define GDT_KERNEL_CODE 0x08
#define GDT_KERNEL_DATA 0x10
#define GDT_USER_DATA   0x18
#define GDT_USER_CODE   0x20
#define GDT_TSS         0x28
#define GDT_RPL_USER    3

/* Interrupt stack table slots (1-based, as IDT gates name them). */
#define IST_DOUBLE_FAULT  1
#define IST_NMI           2
#define IST_MACHINE_CHECK 3

/* Loads Ember's GDT, reloads every segment register and loads the TSS. */
void gdt_init(void);

/* The stack the CPU switches to on an interrupt from ring 3 (TSS.RSP0). */
void tss_set_kernel_stack(uint64_t rsp0);

/* The top of an IST stack, for tests that check it is in use. */
uint64_t tss_ist_top(int ist);
