/*
 * The `syscall` instruction's entry and the return to ring 3.
 *
 * SYSCALL leaves the user's RIP in RCX and RFLAGS in R11, masks interrupts
 * (FMASK) and does not touch RSP, so the entry saves the user RSP in a
 * scratch word (one CPU, interrupts off: nothing else can run), loads the
 * task's kernel stack top, and pushes a frame shaped exactly like the one
 * the CPU and isr_common build for an interrupt from ring 3 (SS, RSP,
 * RFLAGS, CS, RIP, error, vector, then the general registers): everything
 * after - syscall_dispatch(), signals, execve rewriting the frame - works
 * on that one layout.
 *
 * The way out uses SYSRET when the frame still returns to 64-bit user code
 * below USER_TOP (the common case), and IRETQ otherwise - and always after
 * rt_sigreturn (which marks the frame), since SYSRET loads RCX and R11
 * from RIP and RFLAGS and the restored program needs its own. SYSRET with a
 * non-canonical RCX would fault in ring 0 on user RSP; the USER_TOP check
 * (one page below the canonical hole) rules that out.
 *
 * See: docs/usermode.md
 */
#define USER_CS        0x23 /* GDT_USER_CODE | 3 */
#define USER_SS        0x1b /* GDT_USER_DATA | 3 */
#define USER_TOP       0x00007ffffffff000
#define FRAME_MARK     0x100 /* the vector word of a syscall's frame */

#include "arch/x86_64/frame.h"

    .section .bss
    .balign 8
    .globl syscall_kernel_rsp
syscall_kernel_rsp:
    .quad 0
syscall_user_rsp:
    .quad 0

    .section .text
    .code64
    .globl syscall_entry
syscall_entry:
    movq %rsp, syscall_user_rsp(%rip)
    movq syscall_kernel_rsp(%rip), %rsp
    pushq $USER_SS
    pushq syscall_user_rsp(%rip)
    pushq %r11
    pushq $USER_CS
    pushq %rcx
    pushq $0
    pushq $FRAME_MARK
    cld
    PUSH_GPRS
    movq %rsp, %rdi
    xorl %ebp, %ebp             /* ends the kernel backtrace here */
    call syscall_from_user
    /* fall through: interrupts are off again */

    .globl syscall_return
syscall_return:
    cmpq $FRAME_MARK, FRAME_VECTOR(%rsp) /* not after rt_sigreturn */
    jne isr_return
    movq FRAME_RIP(%rsp), %rcx
    movabsq $USER_TOP, %r11
    cmpq %r11, %rcx
    jae isr_return
    cmpq $USER_CS, FRAME_CS(%rsp)
    jne isr_return
    POP_GPRS
    /* The registers are off the frame: what is left starts at the vector. */
    movq (FRAME_RIP - FRAME_VECTOR)(%rsp), %rcx
    movq (FRAME_RFLAGS - FRAME_VECTOR)(%rsp), %r11
    movq (FRAME_RSP - FRAME_VECTOR)(%rsp), %rsp /* the user's stack, last */
    sysretq

/* void syscall_enter_user(struct trap_frame *f): a new task's first exit. */
    .globl syscall_enter_user
syscall_enter_user:
    cli
    movq %rdi, %rsp
    jmp isr_return
