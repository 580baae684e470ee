/*
 * The TSC clock: calibration against a reference counter, and conversions.
 *
 * Calibration. A window is opened at an edge of the reference counter,
 * and every edge after it is a point: the TSC read just before the read
 * that saw the counter move, and the counter value actually read (not a
 * target the loop waited for, so a window that ran long is harmless). An
 * edge is accepted only when the counter moved by at most
 * TSC_EDGE_MAX_STEP since the read before: a bigger step means the host
 * descheduled us between the two reads, and the pair is not trusted. A
 * point is off by a fraction of one loop turn, at random; rather than
 * trust two of them (the window's ends: 3 ms windows were needed for
 * 0.02%), the rate is the slope between the mean point of the window's
 * first third and that of its last third (the hundreds of points in each
 * average the jitter out), so a TSC_CALIB_WINDOW_US window is enough. A
 * window whose third kept under TSC_CALIB_MIN_POINTS points (the host took
 * the CPU away for most of it) is measured again, up to TSC_CALIB_TRIES
 * windows in all. The median of TSC_CALIB_RUNS windows drops a window
 * that the host stretched anyway. Under QEMU's TCG the guest's TSC and the ACPI
 * PM timer both follow the host's clock, so short windows are as accurate as
 * long ones and boot stays fast. The sums stay far inside 64 bits: a third
 * holds at most a few thousand points of at most a few million cycles, and span
 * * hz below is under 10^17 for a 3.58 MHz reference.
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

#define NS_PER_S             1000000000u
#define NS_PER_MS            1000000u
#define US_PER_S             1000000u
#define TSC_CALIB_RUNS       3
#define TSC_CALIB_WINDOW_US  500
#define TSC_CALIB_MIN_POINTS 32 /* edges in a third: hundreds, usually */
#define TSC_CALIB_TRIES      12 /* windows tried for TSC_CALIB_RUNS good ones */
#define TSC_EDGE_MAX_STEP    2  /* counts between two reads at an edge */
#define TSC_EDGE_TRIES       64 /* edges tried before a window is given up */

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

/* The edges seen in one third of a window: how many, and their sums. */
struct third {
    uint64_t n;
    uint64_t counts; /* reference counts since the window opened */
    uint64_t cycles; /* TSC cycles since the window opened */
};

static void add_edge(struct third *g, uint64_t counts, uint64_t cycles)
{
    g->n++;
    g->counts += counts;
    g->cycles += cycles;
}

/*
 * One window of about TSC_CALIB_WINDOW_US. Every clean edge is a point
 * (counts, cycles); the rate is the slope from the mean point of the
 * window's first third to that of its last third. Returns 0 with *rate
 * set; -EAGAIN when a third holds under TSC_CALIB_MIN_POINTS points (the
 * host took the CPU away for most of it: try another window); -EIO when
 * the reference gave no clean edge.
 */
static int measure_window(const struct tsc_reference *ref, uint64_t *rate)
{
    uint64_t want = ref->hz * TSC_CALIB_WINDOW_US / US_PER_S;
    struct third early = {0}, late = {0};
    uint32_t c0, c;
    uint64_t t0, t;

    if (!at_edge(ref, &c0, &t0))
        return -EIO;
    uint64_t counts = 0;
    for (uint32_t last = c0; counts < want; last = c) {
        if (!at_edge(ref, &c, &t))
            return -EIO;
        counts += (c - last) & ref->mask;
        if (counts < want / 3)
            add_edge(&early, counts, t - t0);
        else if (counts >= want - want / 3)
            add_edge(&late, counts, t - t0);
    }
    if (early.n < TSC_CALIB_MIN_POINTS || late.n < TSC_CALIB_MIN_POINTS)
        return -EAGAIN;
    /* (late mean - early mean), both scaled by early.n * late.n. */
    uint64_t cycles = early.n * late.cycles - late.n * early.cycles;
    uint64_t span = early.n * late.counts - late.n * early.counts;
    if (span == 0)
        return -EAGAIN;
    /* cycles / span * hz without overflow: span * hz fits (see above). */
    *rate = cycles / span * ref->hz + cycles % span * ref->hz / span;
    return 0;
}

uint64_t tsc_calibrate(const struct tsc_reference *ref)
{
    uint64_t runs[TSC_CALIB_RUNS];
    int good = 0;

    for (int tries = 0; tries < TSC_CALIB_TRIES && good < TSC_CALIB_RUNS;
         tries++) {
        int err = measure_window(ref, &runs[good]);
        if (err == -EIO)
            return 0;
        if (err == 0)
            good++;
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
