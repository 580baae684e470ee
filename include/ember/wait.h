/*
 * wait4's options and the status word it reports, encoded as Linux does.
 *
 * Shared by the kernel (which builds the status when a child dies) and user
 * programs (whose libc decodes it with WIFEXITED and friends). The encoding
 * is Linux's: exit code in bits 8-15 with the low byte 0, or the killing
 * signal in bits 0-6 with bit 7 set if a core was (notionally) dumped;
 * a stop is 0x7f with the signal in bits 8-15, a continue 0xffff.
 *
 * Portable: yes.
 * See: docs/syscalls.md
 */
#pragma once

#include <stdint.h>

#define WNOHANG    0x00000001
#define WUNTRACED  0x00000002
#define WEXITED    0x00000004 /* waitid; wait4 always has it */
#define WCONTINUED 0x00000008
#define WNOWAIT    0x01000000 /* waitid: leave the child waitable */
#define WALL       0x40000000 /* Linux's __WALL */
#define WCLONE     0x80000000 /* Linux's __WCLONE */

#define WAIT_CORE_FLAG  0x80
#define WAIT_EXIT_SHIFT 8      /* the exit code or stop signal's place */
#define WAIT_SIG_MASK   0x7f   /* the killing signal's bits */
#define WAIT_STOPPED    0x7f   /* low byte of a stopped child's status */
#define WAIT_CONTINUED  0xffff /* the status of a continued child */

/* waitid's idtype. */
#define P_ALL  0
#define P_PID  1
#define P_PGID 2

/* True if the status is an exit (not a kill, a stop or a continue). */
#define WIFEXITED_STATUS(st) (((st)&WAIT_SIG_MASK) == 0)

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
