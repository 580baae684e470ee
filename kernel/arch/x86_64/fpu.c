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
 * Context: boot (fpu_init), any (fpu_init_area).
 * See: docs/scheduler.md
 */
#include "arch/x86_64/fpu.h"

#include "arch/x86_64/cpu.h"
#include "lib/portable.h"

#define FXSAVE_FCW_OFFSET   0
#define FXSAVE_MXCSR_OFFSET 24

void fpu_init(void)
{
    write_cr0((read_cr0() & ~CR0_EM) | CR0_MP);
    write_cr4(read_cr4() | CR4_OSFXSR | CR4_OSXMMEXC);
    __asm__ volatile("fninit");
}

void fpu_init_area(uint8_t *area)
{
    uint16_t fcw = FPU_DEFAULT_FCW;
    uint32_t mxcsr = FPU_DEFAULT_MXCSR;

    memset(area, 0, FPU_AREA_BYTES);
    memcpy(area + FXSAVE_FCW_OFFSET, &fcw, sizeof fcw);
    memcpy(area + FXSAVE_MXCSR_OFFSET, &mxcsr, sizeof mxcsr);
}
