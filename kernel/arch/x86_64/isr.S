/*
 * Interrupt entry stubs for all 256 vectors, and the common path they share.
 *
 * The CPU pushes SS, RSP, RFLAGS, CS, RIP and, for some exceptions, an error
 * code. Each stub makes the frame uniform (a zero error code where the CPU
 * pushed none), pushes its vector number and jumps to isr_common, which saves
 * every general register into a struct trap_frame (PUSH_GPRS, frame.h)
 * and calls trap_dispatch(frame).
 *
 * No FPU/SSE state is saved here: the kernel is built -mgeneral-regs-only,
 * so no handler touches those registers. The scheduler saves them into each
 * task's own FXSAVE area when it switches tasks (docs/scheduler.md), rather
 * than in one global snapshot as the seed did.
 *
 * See: docs/interrupts.md
 */
#include "arch/x86_64/frame.h"

    .section .text
    .code64

.macro ISR_STUB v
    .balign 16
isr_stub_\v:
    .if ((\v == 8) || (\v >= 10 && \v <= 14) || (\v == 17) || (\v == 21) || (\v == 29) || (\v == 30)) == 0
    pushq $0
    .endif
    pushq $\v
    jmp isr_common
.endm

    .altmacro
.set vec, 0
.rept 256
    ISR_STUB %vec
    .set vec, vec + 1
.endr

isr_common:
    cld
    PUSH_GPRS
    mov %rsp, %rdi
    call trap_dispatch
    .globl isr_return
isr_return:
    POP_GPRS
    addq $(FRAME_RIP - FRAME_VECTOR), %rsp /* vector and error code */
    iretq

/* The table idt.c reads: the address of each vector's stub. */
.macro STUB_ADDR v
    .quad isr_stub_\v
.endm
    .section .rodata
    .balign 8
    .globl isr_stub_table
isr_stub_table:
.set vec, 0
.rept 256
    STUB_ADDR %vec
    .set vec, vec + 1
.endr
