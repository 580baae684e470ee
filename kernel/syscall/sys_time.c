/*
 * Time calls: clocks, sleeping and process times.
 *
 * CLOCK_MONOTONIC counts from kernel entry with the TSC (calibrated at boot
 * against the ACPI PM timer), so it has nanosecond steps. CLOCK_REALTIME is
 * that plus the RTC's date read once at boot (drivers/rtc.c; QEMU's RTC
 * runs in UTC). Sleeps go through the
 * scheduler and end early with -EINTR when a signal arrives.
 *
 * Context: task.
 * See: docs/syscalls.md
 */
#include "syscall/handlers.h"

#include <ember/errno.h>
#include <ember/time.h>

#include "arch/x86_64/cpu.h"
#include "arch/x86_64/tsc.h"
#include "drivers/rtc.h"
#include "lib/portable.h"
#include "mm/user_copy.h"
#include "proc/process.h"
#include "sched/sched.h"
#include "proc/signal.h"
#include "proc/thread.h"
#include "sched/task.h"

#define NS_PER_S                  1000000000ull
#define NS_PER_MS                 1000000ull
#define NS_PER_US                 1000ull
#define MS_PER_S                  1000u
#define USER_HZ                   100 /* times()'s ticks per second, Linux's */
#define MS_PER_USER_TICK          (MS_PER_S / USER_HZ)
#define SCHED_TICKS_PER_USER_TICK (SCHED_HZ / USER_HZ)

static uint64_t monotonic_ns(void)
{
    return tsc_ns_since_entry();
}

static uint64_t realtime_ns(void)
{
    return rtc_realtime_ns();
}

static int clock_ns(int clock, uint64_t *out)
{
    switch (clock) {
    case CLOCK_REALTIME:
    case CLOCK_REALTIME_COARSE:
        *out = realtime_ns();
        return 0;
    case CLOCK_MONOTONIC:
    case CLOCK_MONOTONIC_RAW:
    case CLOCK_MONOTONIC_COARSE:
    case CLOCK_BOOTTIME:
        *out = monotonic_ns();
        return 0;
    case CLOCK_PROCESS_CPUTIME_ID:
    case CLOCK_THREAD_CPUTIME_ID:
        *out = task_current()->cpu_ticks * NS_PER_MS;
        return 0;
    default:
        return -EINVAL;
    }
}

long sys_clock_gettime(const struct sysargs *a)
{
    uint64_t ns;
    int err = clock_ns((int)a->arg[0], &ns);
    if (err < 0)
        return err;
    struct timespec ts = {(int64_t)(ns / NS_PER_S), (int64_t)(ns % NS_PER_S)};
    return user_copy_out(a->arg[1], &ts, sizeof ts);
}

long sys_clock_getres(const struct sysargs *a)
{
    uint64_t ns;
    int err = clock_ns((int)a->arg[0], &ns);
    if (err < 0)
        return err;
    struct timespec ts = {0, 1};
    return a->arg[1] ? user_copy_out(a->arg[1], &ts, sizeof ts) : 0;
}

long sys_gettimeofday(const struct sysargs *a)
{
    uint64_t ns = realtime_ns();
    struct timeval tv = {(int64_t)(ns / NS_PER_S),
                         (int64_t)(ns % NS_PER_S / NS_PER_US)};
    struct timezone tz = {0, 0};
    if (a->arg[0] && user_copy_out(a->arg[0], &tv, sizeof tv) < 0)
        return -EFAULT;
    if (a->arg[1] && user_copy_out(a->arg[1], &tz, sizeof tz) < 0)
        return -EFAULT;
    return 0;
}

/* Sleeps for ts; on a signal, writes what is left to u_rem and -EINTR. */
static long sleep_for(const struct timespec *ts, uaddr_t u_rem)
{
    if (ts->tv_sec < 0 || ts->tv_nsec < 0 || ts->tv_nsec >= (int64_t)NS_PER_S)
        return -EINVAL;
    uint64_t ns = (uint64_t)ts->tv_sec * NS_PER_S + (uint64_t)ts->tv_nsec;
    uint64_t end = monotonic_ns() + ns;
    struct thread *th = thread_current();
    uint64_t now = monotonic_ns();
    /*
     * Sleep in timer ticks, then check the clock the program reads: under
     * emulation late ticks can arrive in a burst and run ahead of the TSC,
     * and a sleep must never end before its time.
     */
    while (now < end && !signal_pending(th)) {
        sched_sleep_ms((end - now + NS_PER_MS - 1) / NS_PER_MS);
        now = monotonic_ns();
    }
    if (now < end && signal_pending(th)) {
        uint64_t left = end - now;
        struct timespec rem = {(int64_t)(left / NS_PER_S),
                               (int64_t)(left % NS_PER_S)};
        if (u_rem)
            user_copy_out(u_rem, &rem, sizeof rem);
        return -EINTR;
    }
    return 0;
}

long sys_nanosleep(const struct sysargs *a)
{
    struct timespec ts;
    if (user_copy_in(&ts, a->arg[0], sizeof ts) < 0)
        return -EFAULT;
    return sleep_for(&ts, a->arg[1]);
}

long sys_clock_nanosleep(const struct sysargs *a)
{
    int clock = (int)a->arg[0], flags = (int)a->arg[1];
    struct timespec ts;
    uint64_t now;
    if (clock_ns(clock, &now) < 0)
        return -EINVAL;
    if (user_copy_in(&ts, a->arg[2], sizeof ts) < 0)
        return -EFAULT;
    if (flags & 1) { /* TIMER_ABSTIME: turn the deadline into a duration */
        uint64_t when = (uint64_t)ts.tv_sec * NS_PER_S + (uint64_t)ts.tv_nsec;
        uint64_t left = when > now ? when - now : 0;
        ts = (struct timespec){(int64_t)(left / NS_PER_S),
                               (int64_t)(left % NS_PER_S)};
        return sleep_for(&ts, 0);
    }
    return sleep_for(&ts, a->arg[3]);
}

/* time(u_t): whole seconds of the time of day, also stored at u_t if set. */
long sys_time(const struct sysargs *a)
{
    int64_t t = (int64_t)(realtime_ns() / NS_PER_S);
    if (a->arg[0] && user_copy_out(a->arg[0], &t, sizeof t) < 0)
        return -EFAULT;
    return t;
}

long sys_times(const struct sysargs *a)
{
    struct {
        int64_t utime, stime, cutime, cstime;
    } t = {(int64_t)(task_current()->cpu_ticks / SCHED_TICKS_PER_USER_TICK), 0,
           0, 0};
    if (a->arg[0] && user_copy_out(a->arg[0], &t, sizeof t) < 0)
        return -EFAULT;
    return (long)(tsc_ms_since_entry() / MS_PER_USER_TICK);
}
