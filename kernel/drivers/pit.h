/*
 * The 8254 programmable interval timer.
 *
 * Channel 2, polled, measures the TSC's rate at boot; channel 0 drives IRQ 0,
 * the system tick that kernel/drivers/timer.c counts.
 *
 * Context: boot.
 * See: docs/boot.md, docs/interrupts.md
 */
#pragma once

#include <stdint.h>

/* The PIT's input clock: 105/88 MHz, a third of the NTSC colour burst. */
#define PIT_HZ 1193182u

/* Measures the TSC rate in Hz against PIT channel 2 (about 50 ms). */
uint64_t pit_calibrate_tsc(void);

/*
 * Starts channel 0 as a rate generator at the rate nearest `hz`, and
 * returns the divisor it loaded: one IRQ 0 every divisor / PIT_HZ seconds.
 */
uint16_t pit_start_periodic(uint32_t hz);
