/*
 * The engine's clock (i_timer.h): tics of 1/35 s and milliseconds since the
 * first call, and sleeping, over the back end's monotonic clock.
 *
 * As in Chocolate Doom's SDL version, both counters share one base, taken
 * the first time either is read, so tic 0 starts at millisecond 0; a tic
 * count is the millisecond count times TICRATE / 1000, rounded down.
 * I_Sleep gives the CPU away (nanosleep through the scheduler) rather than
 * spinning, so the game idles between tics.
 *
 * See: docs/doom.md
 */
#include "i_timer.h"

#include <stdint.h>

#include "backend.h"

#define MS_PER_S 1000
/* The VGA's vertical refresh in DOOM's 320x200 mode, in Hz. */
#define VBL_HZ   70

static struct {
    int started;
    uint64_t base_ms; /* backend_now_ms() at the first reading */
} clock_state;

int I_GetTimeMS(void)
{
    uint64_t now = backend_now_ms();

    if (!clock_state.started) {
        clock_state.base_ms = now;
        clock_state.started = 1;
    }
    return (int)(now - clock_state.base_ms);
}

int I_GetTime(void)
{
    return (int)((uint64_t)I_GetTimeMS() * TICRATE / MS_PER_S);
}

void I_Sleep(int ms)
{
    if (ms > 0)
        backend_sleep_ms((uint32_t)ms);
}

void I_WaitVBL(int count)
{
    I_Sleep(count * MS_PER_S / VBL_HZ);
}

void I_InitTimer(void)
{
    I_GetTimeMS();
}
