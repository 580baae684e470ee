/*
 * Time and sleep for both back ends: clock_gettime and nanosleep.
 *
 * Ember implements both as Linux system calls (CLOCK_MONOTONIC from its
 * timer, nanosleep through the scheduler), so the port keeps one timing
 * path for both systems, and the one that the demo tests run on Linux is
 * the one that runs on Ember. Sleeping through the scheduler, rather than
 * spinning on the uptime call as the seed did, is what lets the game use
 * almost no CPU between tics.
 *
 * See: docs/doom.md
 */
#include "backend.h"

#include <errno.h>
#include <time.h>

#define MS_PER_S  1000
#define NS_PER_MS 1000000L

uint64_t backend_now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * MS_PER_S + (uint64_t)(ts.tv_nsec / NS_PER_MS);
}

void backend_sleep_ms(uint32_t ms)
{
    struct timespec left = {
        .tv_sec = ms / MS_PER_S,
        .tv_nsec = (long)(ms % MS_PER_S) * NS_PER_MS,
    };

    /* A signal may end the sleep early; sleep the rest. */
    while (nanosleep(&left, &left) != 0 && errno == EINTR)
        ;
}
