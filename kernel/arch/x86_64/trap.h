/*
 * Interrupts and exceptions after the entry stub: the saved frame and the
 * table of handlers.
 *
 * Context: trap handlers run with interrupts off (all gates are interrupt
 * gates) on the interrupted task's kernel stack or an IST stack.
 * See: docs/interrupts.md
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "arch/x86_64/frame.h"

/*
 * Laid out by isr_common in kernel/arch/x86_64/isr.S and by the syscall
 * entry (PUSH_GPRS, kernel/arch/x86_64/frame.h): lowest address first.
 */
struct trap_frame {
    uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
    uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
    uint64_t vector, error;
    uint64_t rip, cs, rflags, rsp, ss; /* pushed by the CPU */
};
/* The assembly reads the frame at frame.h's offsets: keep the two as one. */
_Static_assert(sizeof(struct trap_frame) == FRAME_BYTES, "trap frame size");
_Static_assert(offsetof(struct trap_frame, vector) == FRAME_VECTOR,
               "trap frame vector");
_Static_assert(offsetof(struct trap_frame, error) == FRAME_ERROR,
               "trap frame error");
_Static_assert(offsetof(struct trap_frame, rip) == FRAME_RIP, "trap frame rip");
_Static_assert(offsetof(struct trap_frame, cs) == FRAME_CS, "trap frame cs");
_Static_assert(offsetof(struct trap_frame, rflags) == FRAME_RFLAGS,
               "trap frame rflags");
_Static_assert(offsetof(struct trap_frame, rsp) == FRAME_RSP, "trap frame rsp");
_Static_assert(offsetof(struct trap_frame, ss) == FRAME_SS, "trap frame ss");
_Static_assert(offsetof(struct trap_frame, r15) == 0, "PUSH_GPRS ends at r15");
_Static_assert(offsetof(struct trap_frame, rax) == FRAME_VECTOR - FRAME_WORD,
               "PUSH_GPRS starts with rax");

/* Exception vectors (Intel SDM vol. 3, table 6-1). */
#define TRAP_DIVIDE         0
#define TRAP_DEBUG          1
#define TRAP_NMI            2
#define TRAP_BREAKPOINT     3
#define TRAP_OVERFLOW       4
#define TRAP_BOUND          5
#define TRAP_INVALID_OP     6
#define TRAP_NO_DEVICE      7
#define TRAP_DOUBLE_FAULT   8
#define TRAP_COPROC_OVERRUN 9
#define TRAP_INVALID_TSS    10
#define TRAP_NOT_PRESENT    11
#define TRAP_STACK_FAULT    12
#define TRAP_GP             13
#define TRAP_PAGE_FAULT     14
#define TRAP_X87_FP         16
#define TRAP_ALIGNMENT      17
#define TRAP_MACHINE_CHK    18
#define TRAP_SIMD_FP        19
#define TRAP_VIRT           20
#define TRAP_CONTROL_PROT   21
#define TRAP_HV_INJECTION   28
#define TRAP_VMM_COMM       29
#define TRAP_SECURITY       30

/* Page-fault error code bits (Intel SDM vol. 3, 4.7). */
#define PF_PRESENT (1u << 0)
#define PF_WRITE   (1u << 1)
#define PF_USER    (1u << 2)
#define PF_RSVD    (1u << 3)
#define PF_FETCH   (1u << 4)

typedef void (*trap_handler_fn)(struct trap_frame *f);

/* Installs fn as the handler of `vector`; a later call replaces it. */
void trap_register(uint8_t vector, trap_handler_fn fn);

/*
 * What becomes of ring 3, which the trap layer knows nothing about:
 * kernel/proc/ sets these at boot (proc_init()). Until then an exception
 * from ring 3 is reported and panics like a kernel one.
 */
struct trap_user_ops {
    /* A CPU exception from ring 3 that no handler took: ends the program. */
    void (*fault)(struct trap_frame *f);
    /* The last step before any return to ring 3 (signals). Interrupts off. */
    void (*before_return)(struct trap_frame *f);
};

/* Sets the ops above; ops must live for good. Boot. */
void trap_set_user_ops(const struct trap_user_ops *ops);

/*
 * Runs the before_return op. Every way back to ring 3 calls it: the end of
 * trap_dispatch() and the syscall exit (kernel/arch/x86_64/syscall.c).
 * Interrupts off.
 */
void trap_before_user_return(struct trap_frame *f);

/* Called by isr_common for every interrupt and exception. */
void trap_dispatch(struct trap_frame *f);

/* Prints the full exception report for f (name, registers, backtrace). */
void trap_report(const struct trap_frame *f);

/* "Page Fault" and so on; "Interrupt" above the exceptions. */
const char *trap_name(uint64_t vector);
