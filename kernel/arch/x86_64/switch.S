/*
 * The context switch: from one task's kernel stack to another's.
 *
 * context_switch(&prev->saved_rsp, next->saved_rsp) pushes the registers the
 * System V ABI says a callee must preserve (rbx, rbp, r12-r15), stores the
 * stack pointer in prev, loads next's, pops next's registers and returns
 * into whatever next was doing when it last called context_switch. All other
 * registers are already saved by the C caller or, for a preempted task, by
 * the interrupt stub further up its stack. FPU/SSE state is saved and
 * restored by the scheduler around this call (kernel/sched/sched.c).
 *
 * A new task's stack is built by task_create() to look as if it had called
 * context_switch from task_trampoline, with its entry function in r12 and
 * its argument in r13.
 *
 * Context: interrupts off.
 * See: docs/scheduler.md
 */
    .section .text
    .code64

    .globl context_switch
context_switch:
    pushq %rbp
    pushq %rbx
    pushq %r12
    pushq %r13
    pushq %r14
    pushq %r15
    movq %rsp, (%rdi)
    movq %rsi, %rsp
    popq %r15
    popq %r14
    popq %r13
    popq %r12
    popq %rbx
    popq %rbp
    ret

/* First code of every new task: task_start(entry, arg) never returns. */
    .globl task_trampoline
task_trampoline:
    movq %r12, %rdi
    movq %r13, %rsi
    xorl %ebp, %ebp             /* ends the backtrace chain */
    call task_start
    ud2
