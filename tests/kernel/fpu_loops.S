/*
 * FPU and SSE workloads for the isolation test (tests/kernel/test_sched.c).
 *
 * The kernel is compiled -mgeneral-regs-only, so floating-point loops live
 * here. Each keeps its running values in registers for the whole loop (XMM
 * registers, or the x87 stack), so a preemption that failed to save and
 * restore them would change the result. Arguments and results are raw IEEE
 * bit patterns in integer registers.
 *
 * See: docs/scheduler.md
 */
    .section .rodata
    .balign 8
growth:   .double 1.0000001
shrink:   .double 0.9999999
tenth:    .double 0.1
    .section .text
    .code64

/* uint64_t fpu_sse_work(uint64_t iters, uint64_t seed, uint32_t mxcsr) */
    .globl fpu_sse_work
fpu_sse_work:
    subq $8, %rsp
    movl %edx, (%rsp)
    ldmxcsr (%rsp)
    cvtsi2sdq %rsi, %xmm0
    movsd growth(%rip), %xmm1
    movsd tenth(%rip), %xmm2
    movsd shrink(%rip), %xmm3
    xorpd %xmm4, %xmm4
1:  mulsd %xmm1, %xmm0
    addsd %xmm2, %xmm0
    divsd %xmm1, %xmm0
    mulsd %xmm3, %xmm0
    addsd %xmm0, %xmm4
    decq %rdi
    jnz 1b
    addsd %xmm4, %xmm0
    movq %xmm0, %rax
    movl $0x1f80, (%rsp)        /* leave the default MXCSR behind */
    ldmxcsr (%rsp)
    addq $8, %rsp
    ret

/* uint64_t fpu_x87_work(uint64_t iters, uint64_t seed, uint16_t fcw) */
    .globl fpu_x87_work
fpu_x87_work:
    subq $16, %rsp
    movw %dx, (%rsp)
    fldcw (%rsp)
    movq %rsi, 8(%rsp)
    fildq 8(%rsp)               /* st0 = x */
    fldl growth(%rip)           /* st0 = g, st1 = x */
    fldz                        /* st0 = sum, st1 = g, st2 = x */
1:  fxch %st(2)                 /* st0 = x, st2 = sum */
    fmul %st(1), %st            /* x *= g */
    faddl tenth(%rip)
    fsqrt
    fmull shrink(%rip)
    fadd %st, %st(2)            /* sum += x */
    fxch %st(2)                 /* st0 = sum, st2 = x */
    decq %rdi
    jnz 1b
    faddp %st, %st(2)           /* st1 = x + sum; pop */
    fstp %st(0)                 /* pop g */
    fstpl 8(%rsp)
    movq 8(%rsp), %rax
    movw $0x37f, (%rsp)         /* leave the default FCW behind */
    fldcw (%rsp)
    addq $16, %rsp
    ret
