/*
 * The TSC clock: calibration against a reference counter, and conversions.
 *
 * Calibration. A window reads the TSC and the reference counter in turns
 * until the counter has advanced by the window's length. A read that finds
 * the counter moved by 1 to TSC_EDGE_MAX_STEP counts since the read before
 * gives a point: the counter value read (not a target the loop waited
 * for, so a window that ran long is harmless) and the TSC read just before
 * it. A bigger step means the host descheduled us between the two reads:
 * the counts still add up, but that pair is not a point. A point is off by
 * a fraction of one loop turn, at random; rather than trust two of them
 * (the window's ends: 3 ms windows were needed for 0.02%), the rate is
 * the slope between the mean point of the window's first third and that
 * of its last third (hundreds of points in each average the jitter out),
 * so a TSC_CALIB_WINDOW_US window is enough. A window whose third kept
 * under TSC_CALIB_MIN_POINTS points (a loaded host took the CPU away, or
 * slowed the loop so that most steps were too big) is measured again,
 * twice as long each time up to TSC_CALIB_WINDOW_MAX_US, TSC_CALIB_TRIES
 * windows in all. The median of TSC_CALIB_RUNS windows drops a window that
 * the host stretched anyway. Under QEMU's TCG the guest's TSC and the ACPI
 * PM timer both follow the host's clock, so short windows are as accurate
 * as long ones and boot stays fast.
 *
 * The sums stay inside 64 bits: a third keeps at most TSC_CALIB_MAX_POINTS
 * points, each of at most the window's counts (57,000 in 16 ms at 3.58
 * MHz) and cycles (80 million at 5 GHz), so span * hz below stays under
 * 5 * 10^18 for references up to TSC_REF_MAX_HZ.
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

#include <ember/errno.h>

#define NS_PER_S                1000000000u
#define NS_PER_MS               1000000u
#define US_PER_S                1000000u
#define TSC_CALIB_RUNS          3
#define TSC_CALIB_WINDOW_US     500   /* the first window's length */
#define TSC_CALIB_WINDOW_MAX_US 16000 /* a sparse window doubles up to this */
#define TSC_CALIB_MIN_POINTS    32    /* in a third: hundreds, usually */
#define TSC_CALIB_MAX_POINTS    1024  /* kept in a third (the sums' bound) */
#define TSC_CALIB_TRIES         12    /* windows for TSC_CALIB_RUNS good ones */
#define TSC_EDGE_MAX_STEP       2     /* counts between two reads at a point */
#define TSC_REF_MAX_HZ          16000000 /* the fastest reference the sums allow */

extern uint64_t boot_entry_tsc; /* kernel/arch/x86_64/boot.S */

static uint64_t hz;

/* The points seen in one third of a window: how many, and their sums. */
struct third {
    uint64_t n;
    uint64_t counts; /* reference counts since the window opened */
    uint64_t cycles; /* TSC cycles since the window opened */
};

static void add_point(struct third *g, uint64_t counts, uint64_t cycles)
{
    if (g->n == TSC_CALIB_MAX_POINTS)
        return;
    g->n++;
    g->counts += counts;
    g->cycles += cycles;
}

/*
 * One window of window_us (see the top). Returns 0 with *rate set;
 * -EAGAIN when a third holds under TSC_CALIB_MIN_POINTS points; -EIO when
 * the reference stopped moving.
 */
static int measure_window(const struct tsc_reference *ref, uint64_t window_us,
                          uint64_t *rate)
{
    uint64_t want = ref->hz * window_us / US_PER_S;
    struct third early = {0}, late = {0};
    uint32_t prev = ref->read() & ref->mask;
    uint64_t t0 = rdtsc(), counts = 0, still = 0;

    while (counts < want) {
        uint64_t t = rdtsc();
        uint32_t now = ref->read() & ref->mask;
        uint32_t step = (now - prev) & ref->mask;
        prev = now;
        if (step == 0) {
            if (++still > ref->hz) /* a second of reads at least */
                return -EIO;
            continue;
        }
        still = 0;
        counts += step;
        if (step > TSC_EDGE_MAX_STEP)
            continue; /* descheduled between the reads */
        if (counts < want / 3)
            add_point(&early, counts, t - t0);
        else if (counts >= want - want / 3)
            add_point(&late, counts, t - t0);
    }
    if (early.n < TSC_CALIB_MIN_POINTS || late.n < TSC_CALIB_MIN_POINTS)
        return -EAGAIN;
    /* (late mean - early mean), both scaled by early.n * late.n. */
    uint64_t cycles = early.n * late.cycles - late.n * early.cycles;
    uint64_t span = early.n * late.counts - late.n * early.counts;
    if (span == 0)
        return -EAGAIN;
    /* cycles / span * hz without overflow: span * hz fits (see the top). */
    *rate = cycles / span * ref->hz + cycles % span * ref->hz / span;
    return 0;
}

uint64_t tsc_calibrate(const struct tsc_reference *ref)
{
    uint64_t runs[TSC_CALIB_RUNS];
    uint64_t window_us = TSC_CALIB_WINDOW_US;
    int good = 0;

    if (ref->hz == 0 || ref->hz > TSC_REF_MAX_HZ)
        return 0;
    for (int tries = 0; tries < TSC_CALIB_TRIES && good < TSC_CALIB_RUNS;
         tries++) {
        int err = measure_window(ref, window_us, &runs[good]);
        if (err == -EIO)
            return 0;
        if (err == 0)
            good++;
        else if (window_us < TSC_CALIB_WINDOW_MAX_US)
            window_us *= 2;
    }
    if (good < TSC_CALIB_RUNS)
        return 0;
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
