/*
 * FPU and SSE state: turning them on, and saving one task's registers.
 *
 * Each task keeps its own 512-byte FXSAVE area; the scheduler saves the
 * outgoing task's into it and restores the incoming task's on every switch,
 * so no task ever sees another's x87 stack, XMM registers or MXCSR (the
 * seed kept one global snapshot). The kernel itself is built
 * -mgeneral-regs-only and never touches these registers.
 *
 * Context: any; fpu_save/fpu_restore with interrupts off.
 * See: docs/scheduler.md
 */
#pragma once

#include <stdint.h>

#define FPU_AREA_BYTES    512
#define FPU_AREA_ALIGN    16
#define FPU_DEFAULT_FCW   0x037f /* x87: all exceptions masked, 64-bit */
#define FPU_DEFAULT_MXCSR 0x1f80 /* SSE: all exceptions masked, nearest */

/* Sets CR0.MP, clears CR0.EM, sets CR4.OSFXSR and OSXMMEXCPT. Boot. */
void fpu_init(void);

/*
 * Makes an FXSAVE image from user memory safe for FXRSTOR: clears the MXCSR
 * bits the CPU does not accept (they would fault in ring 0). Any context.
 */
void fpu_sanitise(uint8_t *area);

/* Fills area with the state a new task starts with (FCW, MXCSR above). */
void fpu_init_area(uint8_t *area);

static inline void fpu_save(uint8_t *area)
{
    __asm__ volatile("fxsave64 (%0)" : : "r"(area) : "memory");
}

static inline void fpu_restore(const uint8_t *area)
{
    __asm__ volatile("fxrstor64 (%0)" : : "r"(area) : "memory");
}
