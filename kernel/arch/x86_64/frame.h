/*
 * The trap frame's layout for the assembly that builds and reads it, and
 * the one pair of macros that saves and restores the general registers.
 *
 * Three pieces of assembly build the same frame: every interrupt stub
 * (isr.S), the `syscall` entry (syscall_entry.S) and, through them, every
 * return to ring 3. They share PUSH_GPRS and POP_GPRS, so the fifteen
 * registers are listed once, and read the fields at the FRAME_* offsets,
 * which trap.h ties to struct trap_frame with _Static_asserts: a change to
 * the struct that the assembly does not follow fails the build.
 *
 * Included by C (the offsets) and by assembly (the offsets and macros).
 * See: docs/interrupts.md
 */
#pragma once

#define FRAME_WORD   8
#define FRAME_GPRS   15 /* r15 .. rax, pushed by PUSH_GPRS */
#define FRAME_VECTOR (FRAME_GPRS * FRAME_WORD)
#define FRAME_ERROR  (FRAME_VECTOR + FRAME_WORD)
#define FRAME_RIP    (FRAME_ERROR + FRAME_WORD) /* the CPU's part begins */
#define FRAME_CS     (FRAME_RIP + FRAME_WORD)
#define FRAME_RFLAGS (FRAME_CS + FRAME_WORD)
#define FRAME_RSP    (FRAME_RFLAGS + FRAME_WORD)
#define FRAME_SS     (FRAME_RSP + FRAME_WORD)
#define FRAME_BYTES  (FRAME_SS + FRAME_WORD)

#ifdef __ASSEMBLER__
/* rax first, so r15 ends lowest: struct trap_frame's order. */
/* Assembly, which clang-format must leave alone. */
/* clang-format off */
.macro PUSH_GPRS
    pushq %rax
    pushq %rbx
    pushq %rcx
    pushq %rdx
    pushq %rsi
    pushq %rdi
    pushq %rbp
    pushq %r8
    pushq %r9
    pushq %r10
    pushq %r11
    pushq %r12
    pushq %r13
    pushq %r14
    pushq %r15
.endm

.macro POP_GPRS
    popq %r15
    popq %r14
    popq %r13
    popq %r12
    popq %r11
    popq %r10
    popq %r9
    popq %r8
    popq %rbp
    popq %rdi
    popq %rsi
    popq %rdx
    popq %rcx
    popq %rbx
    popq %rax
.endm
/* clang-format on */
#endif
