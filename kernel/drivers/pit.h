/*
 * The 8254 programmable interval timer.
 *
 * For now only channel 2, polled, to measure the TSC's rate at boot; the
 * 1000 Hz tick on channel 0 comes with the interrupt layer.
 *
 * Context: boot.
 * See: docs/boot.md
 */
#pragma once

#include <stdint.h>

/* Measures the TSC rate in Hz against PIT channel 2 (about 50 ms). */
uint64_t pit_calibrate_tsc(void);
