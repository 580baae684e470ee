/*
 * TSC conversions, using the rate measured at boot.
 *
 * cycles * 1e9 / hz overflows 64 bits after a few seconds at GHz rates, so
 * whole seconds and the remainder are converted apart: the remainder is
 * below hz, and hz * 1e9 fits in 64 bits for any rate under 18 GHz.
 *
 * Context: any.
 * See: docs/boot.md
 */
#include "arch/x86_64/tsc.h"

#include "arch/x86_64/cpu.h"

extern uint64_t boot_entry_tsc; /* kernel/arch/x86_64/boot.S */

static uint64_t hz;

void tsc_set_hz(uint64_t rate)
{
    hz = rate;
}

uint64_t tsc_hz(void)
{
    return hz;
}

uint64_t tsc_cycles_to_ns(uint64_t cycles)
{
    if (hz == 0)
        return 0;
    return cycles / hz * 1000000000u + cycles % hz * 1000000000u / hz;
}

uint64_t tsc_ms_since_entry(void)
{
    return tsc_cycles_to_ns(rdtsc() - boot_entry_tsc) / 1000000u;
}
