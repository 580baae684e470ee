/*
 * The time-stamp counter as the kernel's clock: cycles to nanoseconds, and
 * its rate measured once at boot against a reference counter.
 *
 * QEMU's default CPU model reports no TSC frequency, so the rate is
 * measured. The uptime, sleeps, CLOCK_MONOTONIC and the time of day all
 * come from the TSC read directly, never from counting timer interrupts:
 * the TSC follows real time continuously however late the interrupts are
 * (docs/interrupts.md says why that matters under emulation).
 *
 * Context: any.
 * See: docs/interrupts.md
 */
#pragma once

#include <stdint.h>

/*
 * A free-running counter of known rate to calibrate against, registered by
 * the driver that owns it (the ACPI PM timer): arch/ never names a driver.
 * `read` returns the counter's low bits; `mask` says how many are valid
 * (0xffffff for a 24-bit counter), so a wrap between two reads is harmless.
 */
struct tsc_reference {
    const char *name;
    uint64_t hz;
    uint32_t mask;
    uint32_t (*read)(void);
};

/*
 * Measures the TSC's rate against ref: TSC_CALIB_RUNS windows, the median
 * kept. Returns the rate in Hz, or 0 if the reference never moved or the
 * host kept interrupting the windows. Boot, interrupts off.
 */
uint64_t tsc_calibrate(const struct tsc_reference *ref);

/* Records the measured rate; until then conversions return 0. */
void tsc_set_hz(uint64_t hz);
uint64_t tsc_hz(void);

uint64_t tsc_cycles_to_ns(uint64_t cycles);

/*
 * Nanoseconds and milliseconds since kernel entry (boot.S read the TSC
 * first thing): the uptime. Never goes backwards. Any context.
 */
uint64_t tsc_ns_since_entry(void);
uint64_t tsc_ms_since_entry(void);

/*
 * Nanoseconds from kernel entry to the moment the TSC read `stamp`: a
 * stamp taken before the rate was known converts once it is. Any context.
 */
uint64_t tsc_ns_at(uint64_t stamp);
