/*
 * The time-stamp counter as a clock: cycles to nanoseconds.
 *
 * QEMU's default CPU model reports no TSC frequency, so the rate is measured
 * at boot against PIT channel 2 (kernel/drivers/pit.c) and stored here.
 * Benchmarks and log timestamps use it.
 *
 * Context: any.
 * See: docs/boot.md
 */
#pragma once

#include <stdint.h>

/* Records the measured rate; until then conversions return 0. */
void tsc_set_hz(uint64_t hz);
uint64_t tsc_hz(void);

uint64_t tsc_cycles_to_ns(uint64_t cycles);

/* Milliseconds since kernel entry (boot.S read the TSC first thing). */
uint64_t tsc_ms_since_entry(void);
