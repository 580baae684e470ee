/*
 * The TSC clock: calibration against a reference counter, and conversions.
 *
 * Calibration. A window is opened and closed at an edge of the reference
 * counter: the TSC is read just before the read that sees the counter move.
 * Using the counter values actually read (not a target the loop waited
 * for) makes a window that ran long harmless, and an edge is accepted only
 * when the counter moved by at most TSC_EDGE_MAX_STEP since the read
 * before: a bigger step means the host descheduled us between the two
 * reads, and the pair is not trusted. Each window then has an error of a
 * fraction of a microsecond at each end, under 0.02% of
 * TSC_CALIB_WINDOW_US; the median of TSC_CALIB_RUNS windows drops a window
 * that the host stretched anyway. Under QEMU's TCG the guest's TSC and the
 * ACPI PM timer both follow the host's clock, so short windows are as
 * accurate as long ones and boot stays fast.
 *
 * Conversion: cycles * 1e9 / hz overflows 64 bits after a few seconds at
 * GHz rates, so whole seconds and the remainder are converted apart: the
 * remainder is below hz, and hz * 1e9 fits in 64 bits under 18 GHz.
 *
 * Locking: hz is written once at boot, before any reader but the log.
 * Context: any (conversions), boot with interrupts off (calibration).
 * See: docs/interrupts.md
 */
#include "arch/x86_64/tsc.h"

#include "arch/x86_64/cpu.h"

#define NS_PER_S            1000000000u
#define NS_PER_MS           1000000u
#define US_PER_S            1000000u
#define TSC_CALIB_RUNS      3
#define TSC_CALIB_WINDOW_US 3000
#define TSC_EDGE_MAX_STEP   2  /* counts between two reads at an edge */
#define TSC_EDGE_TRIES      64 /* edges tried before a window is given up */

extern uint64_t boot_entry_tsc; /* kernel/arch/x86_64/boot.S */

static uint64_t hz;

/*
 * Waits for the reference to move and returns the new count with the TSC
 * read just before it. False if no clean edge came in TSC_EDGE_TRIES.
 */
static bool at_edge(const struct tsc_reference *ref, uint32_t *count,
                    uint64_t *tsc)
{
    for (int tries = 0; tries < TSC_EDGE_TRIES; tries++) {
        uint32_t prev = ref->read() & ref->mask;
        for (uint32_t spins = 0; spins < ref->hz; spins++) {
            uint64_t t = rdtsc();
            uint32_t now = ref->read() & ref->mask;
            uint32_t step = (now - prev) & ref->mask;
            if (step == 0)
                continue;
            if (step <= TSC_EDGE_MAX_STEP) {
                *count = now;
                *tsc = t;
                return true;
            }
            break; /* descheduled between the reads: wait for another */
        }
    }
    return false;
}

/* One window of about TSC_CALIB_WINDOW_US; the rate it saw, or 0. */
static uint64_t measure_window(const struct tsc_reference *ref)
{
    uint64_t want = ref->hz * TSC_CALIB_WINDOW_US / US_PER_S;
    uint32_t c0, c1;
    uint64_t t0, t1;

    if (!at_edge(ref, &c0, &t0))
        return 0;
    for (;;) {
        if (!at_edge(ref, &c1, &t1))
            return 0;
        uint64_t counts = (c1 - c0) & ref->mask;
        if (counts >= want)
            return (t1 - t0) * ref->hz / counts;
    }
}

uint64_t tsc_calibrate(const struct tsc_reference *ref)
{
    uint64_t runs[TSC_CALIB_RUNS];

    for (int i = 0; i < TSC_CALIB_RUNS; i++) {
        runs[i] = measure_window(ref);
        if (runs[i] == 0)
            return 0;
    }
    /* Insertion sort of a few values, then the middle one. */
    for (int i = 1; i < TSC_CALIB_RUNS; i++) {
        for (int j = i; j > 0 && runs[j - 1] > runs[j]; j--) {
            uint64_t t = runs[j];
            runs[j] = runs[j - 1];
            runs[j - 1] = t;
        }
    }
    return runs[TSC_CALIB_RUNS / 2];
}

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
    return cycles / hz * NS_PER_S + cycles % hz * NS_PER_S / hz;
}

uint64_t tsc_ns_since_entry(void)
{
    return tsc_ns_at(rdtsc());
}

uint64_t tsc_ns_at(uint64_t stamp)
{
    return tsc_cycles_to_ns(stamp - boot_entry_tsc);
}

uint64_t tsc_ms_since_entry(void)
{
    return tsc_ns_since_entry() / NS_PER_MS;
}
