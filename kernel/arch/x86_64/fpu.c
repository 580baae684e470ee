/*
 * Switching on the FPU and SSE, and the FXSAVE image a new task starts from.
 *
 * CR0.EM clear and CR0.MP set make x87 and SSE instructions run instead of
 * trapping; CR4.OSFXSR enables FXSAVE/FXRSTOR and SSE, and CR4.OSXMMEXCPT
 * routes unmasked SSE exceptions to #XM (Intel SDM vol. 3, 13.1).
 *
 * A new task's image is all zeros except the two control words: FCW 0x37F
 * (what FNINIT loads) and MXCSR 0x1F80 (the power-on value). A zero tag word
 * in the FXSAVE format means "all x87 registers empty".
 *
 * An FXSAVE image that comes from user memory (a signal frame) is
 * sanitised before FXRSTOR: MXCSR bits outside the CPU's MXCSR_MASK raise
 * #GP, which would be a fault in ring 0.
 *
 * Context: boot (fpu_init), any (fpu_init_area, fpu_sanitise).
 * See: docs/scheduler.md
 */
#include "arch/x86_64/fpu.h"

#include "arch/x86_64/cpu.h"
#include "lib/portable.h"

#define FXSAVE_FCW_OFFSET        0
#define FXSAVE_MXCSR_OFFSET      24
#define FXSAVE_MXCSR_MASK_OFFSET 28
/* What MXCSR_MASK means when FXSAVE leaves it 0 (Intel SDM vol. 1, 11.6.6). */
#define MXCSR_MASK_DEFAULT       0xffbf

/* The MXCSR bits this CPU accepts: read once at boot. */
static uint32_t mxcsr_mask = MXCSR_MASK_DEFAULT;

void fpu_init(void)
{
    write_cr0((read_cr0() & ~CR0_EM) | CR0_MP);
    write_cr4(read_cr4() | CR4_OSFXSR | CR4_OSXMMEXC);
    __asm__ volatile("fninit");
    uint8_t area[FPU_AREA_BYTES] __attribute__((aligned(FPU_AREA_ALIGN)));
    memset(area, 0, sizeof area);
    fpu_save(area);
    uint32_t mask;
    memcpy(&mask, area + FXSAVE_MXCSR_MASK_OFFSET, sizeof mask);
    if (mask)
        mxcsr_mask = mask;
}

void fpu_sanitise(uint8_t *area)
{
    uint32_t mxcsr;
    memcpy(&mxcsr, area + FXSAVE_MXCSR_OFFSET, sizeof mxcsr);
    mxcsr &= mxcsr_mask;
    memcpy(area + FXSAVE_MXCSR_OFFSET, &mxcsr, sizeof mxcsr);
}

void fpu_init_area(uint8_t *area)
{
    uint16_t fcw = FPU_DEFAULT_FCW;
    uint32_t mxcsr = FPU_DEFAULT_MXCSR;

    memset(area, 0, FPU_AREA_BYTES);
    memcpy(area + FXSAVE_FCW_OFFSET, &fcw, sizeof fcw);
    memcpy(area + FXSAVE_MXCSR_OFFSET, &mxcsr, sizeof mxcsr);
}
