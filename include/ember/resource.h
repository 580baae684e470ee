/*
 * getrlimit/prlimit64 and getrusage/wait4's structs, Linux x86_64 layout,
 * and getpriority/setpriority's "which".
 *
 * Shared by the kernel and user programs. musl's sysconf asks for limits
 * (RLIMIT_NOFILE, RLIMIT_STACK...) at startup of some programs, so the kernel
 * answers getrlimit and prlimit64 for every resource, most with
 * RLIM_INFINITY.
 *
 * Portable: yes.
 * See: docs/syscalls.md
 */
#pragma once

#include <stdint.h>

#include <ember/time.h>

#define RLIMIT_CPU     0
#define RLIMIT_FSIZE   1
#define RLIMIT_DATA    2
#define RLIMIT_STACK   3
#define RLIMIT_CORE    4
#define RLIMIT_RSS     5
#define RLIMIT_NPROC   6
#define RLIMIT_NOFILE  7
#define RLIMIT_MEMLOCK 8
#define RLIMIT_AS      9
#define RLIMIT_COUNT   16 /* Linux's RLIM_NLIMITS */
#define RLIM_INFINITY  (~0ull)

struct rlimit {
    uint64_t rlim_cur;
    uint64_t rlim_max;
};
_Static_assert(sizeof(struct rlimit) == 16, "Linux rlimit");

/* getpriority/setpriority: of a process, a process group, a user. */
#define PRIO_PROCESS 0
#define PRIO_PGRP    1
#define PRIO_USER    2

#define RUSAGE_SELF     0
#define RUSAGE_CHILDREN (-1)
#define RUSAGE_THREAD   1

struct rusage {
    struct timeval ru_utime;
    struct timeval ru_stime;
    int64_t ru_other[14]; /* maxrss .. nivcsw: Ember reports zeros */
};
_Static_assert(sizeof(struct rusage) == 144, "Linux x86_64 rusage");
