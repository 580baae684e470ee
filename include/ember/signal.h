/*
 * Signal numbers, rt_sigaction's struct and flags, siginfo and stack_t,
 * with Linux's x86_64 values.
 *
 * Shared by the kernel (kill, tkill, tgkill, rt_sigaction, rt_sigprocmask,
 * the default actions, wait4's status) and user programs. struct
 * kernel_sigaction is what the rt_sigaction call itself takes, which is not
 * libc's struct sigaction: the mask is one 64-bit word (sigsetsize 8) and the
 * restorer is a separate field that musl fills with SA_RESTORER.
 *
 * Portable: yes.
 * See: docs/syscalls.md
 */
#pragma once

#include <stdint.h>

#define SIGHUP    1
#define SIGINT    2
#define SIGQUIT   3
#define SIGILL    4
#define SIGTRAP   5
#define SIGABRT   6
#define SIGBUS    7
#define SIGFPE    8
#define SIGKILL   9
#define SIGUSR1   10
#define SIGSEGV   11
#define SIGUSR2   12
#define SIGPIPE   13
#define SIGALRM   14
#define SIGTERM   15
#define SIGSTKFLT 16
#define SIGCHLD   17
#define SIGCONT   18
#define SIGSTOP   19
#define SIGTSTP   20
#define SIGTTIN   21
#define SIGTTOU   22
#define SIGURG    23
#define SIGXCPU   24
#define SIGXFSZ   25
#define SIGVTALRM 26
#define SIGPROF   27
#define SIGWINCH  28
#define SIGIO     29
#define SIGPWR    30
#define SIGSYS    31
#define SIGRTMIN  32 /* the kernel's; musl reserves 32-34 for itself */
#define SIGRTMAX  64
#define SIG_COUNT 65 /* signals are 1 .. 64; Linux's _NSIG */

/* The two dispositions that are not a handler's address. */
#define SIG_DFL 0
#define SIG_IGN 1

/* rt_sigprocmask's how. */
#define SIG_BLOCK   0
#define SIG_UNBLOCK 1
#define SIG_SETMASK 2

/* sa_flags */
#define SA_NOCLDSTOP 0x00000001
#define SA_NOCLDWAIT 0x00000002
#define SA_SIGINFO   0x00000004
#define SA_RESTORER  0x04000000
#define SA_ONSTACK   0x08000000
#define SA_RESTART   0x10000000
#define SA_NODEFER   0x40000000
#define SA_RESETHAND 0x80000000

/* A signal set as the kernel takes it: bit (sig - 1) for signal sig. */
typedef uint64_t ksigset_t;
#define KSIGSET_SIZE 8 /* the only sigsetsize rt_sig* calls accept */

struct kernel_sigaction {
    uint64_t sa_handler; /* SIG_DFL, SIG_IGN or a user address */
    uint64_t sa_flags;
    uint64_t sa_restorer;
    ksigset_t sa_mask;
};
_Static_assert(sizeof(struct kernel_sigaction) == 32, "x86_64 k_sigaction");

/* si_code values (Linux's asm-generic/siginfo.h). */
#define SI_USER       0
#define SI_KERNEL     0x80
#define SI_TKILL      (-6)
#define SEGV_MAPERR   1
#define SEGV_ACCERR   2
#define FPE_INTDIV    1
#define ILL_ILLOPN    2
#define CLD_EXITED    1
#define CLD_KILLED    2
#define CLD_DUMPED    3
#define CLD_STOPPED   5
#define CLD_CONTINUED 6

/* What a handler with SA_SIGINFO gets: Linux's 128-byte siginfo_t. */
struct linux_siginfo {
    int32_t si_signo;
    int32_t si_errno;
    int32_t si_code;
    int32_t pad;
    union {
        struct {
            int32_t pid; /* kill, SIGCHLD */
            uint32_t uid;
            int32_t status; /* SIGCHLD */
            int32_t pad;
            int64_t utime, stime;
        } proc;
        uint64_t addr; /* faults */
    } u;
    uint8_t rest[80];
};
_Static_assert(sizeof(struct linux_siginfo) == 128, "Linux siginfo_t");

/* sigaltstack's stack_t. */
struct linux_stack {
    uint64_t ss_sp;
    int32_t ss_flags;
    int32_t pad;
    uint64_t ss_size;
};
_Static_assert(sizeof(struct linux_stack) == 24, "Linux x86_64 stack_t");

#define SS_ONSTACK  1
#define SS_DISABLE  2
#define MINSIGSTKSZ 2048
