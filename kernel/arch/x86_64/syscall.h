/*
 * The two doors into the kernel from ring 3: the `syscall` instruction
 * (Linux's ABI) and `int 0x80` (the seed's), and the way back out.
 *
 * Both build the same struct trap_frame at the top of the task's kernel
 * stack, so everything after the entry - dispatch, signals, execve
 * replacing the frame - is shared.
 *
 * Context: boot (syscall_init); the scheduler (syscall_set_kernel_stack).
 * See: docs/usermode.md, docs/syscalls.md
 */
#pragma once

#include <stdint.h>

#include "arch/x86_64/trap.h"

#define SYSCALL_SEED_VECTOR 0x80
/* The `vector` field of a frame built by the syscall instruction's entry. */
#define SYSCALL_FRAME_MARK  0x100
/*
 * The same, once rt_sigreturn has restored every register into it: the
 * exit must use IRETQ, since SYSRET would overwrite RCX and R11.
 */
#define SYSCALL_FRAME_IRET  0x101

/* Sets the MSRs for SYSCALL/SYSRET and opens int 0x80 to ring 3. Boot. */
void syscall_init(void);

/* The stack the syscall entry switches to (the task's stack top). */
void syscall_set_kernel_stack(uint64_t top);

/* The user-mode frame at the top of a task's kernel stack. */
static inline struct trap_frame *syscall_user_frame(uint64_t stack_top)
{
    return (struct trap_frame *)(uintptr_t)(stack_top -
                                            sizeof(struct trap_frame));
}

/* Leaves for ring 3 through the frame f (never returns). */
void syscall_enter_user(struct trap_frame *f) __attribute__((noreturn));
