/*
 * wait4's options and the status word it reports, encoded as Linux does.
 *
 * Shared by the kernel (which builds the status when a child dies) and user
 * programs (whose libc decodes it with WIFEXITED and friends). The encoding
 * is Linux's: exit code in bits 8-15 with the low byte 0, or the killing
 * signal in bits 0-6 with bit 7 set if a core was (notionally) dumped.
 *
 * Portable: yes.
 * See: docs/syscalls.md
 */
#pragma once

#include <stdint.h>

#define WNOHANG    0x00000001
#define WUNTRACED  0x00000002
#define WCONTINUED 0x00000008
#define WALL       0x40000000 /* Linux's __WALL */
#define WCLONE     0x80000000 /* Linux's __WCLONE */

#define WAIT_CORE_FLAG 0x80

/* The status of a child that called exit(code). */
static inline int32_t wait_status_exited(int32_t code)
{
    return (int32_t)((uint32_t)(code & 0xff) << 8);
}

/* The status of a child killed by signal sig. */
static inline int32_t wait_status_signaled(int32_t sig)
{
    return sig & 0x7f;
}
