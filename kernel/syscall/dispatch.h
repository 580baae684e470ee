/*
 * System call dispatch: from a trap frame to a handler, for both doors.
 *
 * A handler has one signature, long sys_x(const struct sysargs *a), and
 * unpacks its arguments with explicit casts; it returns a count, 0, or a
 * negative errno, which goes back to the program in RAX unchanged (Linux's
 * values, so musl needs no translation). Tables are built from designated
 * initialisers, so each number is written once, beside its handler.
 *
 * Context: task, interrupts on.
 * See: docs/syscalls.md
 */
#pragma once

#include <stdint.h>

#include "arch/x86_64/trap.h"

struct sysargs {
    uint64_t nr;
    uint64_t arg[6];
    struct trap_frame *frame; /* for fork, execve and the seed's exit */
};

typedef long (*syscall_fn)(const struct sysargs *a);

/* The Linux door: number in RAX; rdi, rsi, rdx, r10, r8, r9. */
long syscall_linux(struct trap_frame *f);

/* The seed's door (int 0x80): number in RAX; rdi, rsi, rdx, r10, r8, r9. */
long syscall_seed(struct trap_frame *f);
