/*
 * Time structs and clock ids, in Linux's x86_64 layout and values.
 *
 * Shared by the kernel (clock_gettime, gettimeofday, nanosleep, stat's
 * times) and user programs; musl programs use their libc's identical
 * definitions instead (the names clash, so do not include both).
 *
 * Portable: yes.
 * See: docs/syscalls.md
 */
#pragma once

#include <stdint.h>

struct timespec {
    int64_t tv_sec;
    int64_t tv_nsec; /* 0 .. 999999999 */
};
_Static_assert(sizeof(struct timespec) == 16, "Linux x86_64 timespec");

struct timeval {
    int64_t tv_sec;
    int64_t tv_usec; /* 0 .. 999999 */
};
_Static_assert(sizeof(struct timeval) == 16, "Linux x86_64 timeval");

/* gettimeofday's second argument: obsolete, Ember fills it with zeros. */
struct timezone {
    int32_t tz_minuteswest;
    int32_t tz_dsttime;
};
_Static_assert(sizeof(struct timezone) == 8, "Linux timezone");

/* clock_gettime's ids (Linux <linux/time.h>). */
#define CLOCK_REALTIME           0 /* from the RTC */
#define CLOCK_MONOTONIC          1 /* from the timer */
#define CLOCK_PROCESS_CPUTIME_ID 2
#define CLOCK_THREAD_CPUTIME_ID  3
#define CLOCK_MONOTONIC_RAW      4
#define CLOCK_REALTIME_COARSE    5
#define CLOCK_MONOTONIC_COARSE   6
#define CLOCK_BOOTTIME           7
