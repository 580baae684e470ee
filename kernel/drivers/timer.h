/*
 * The system tick: IRQ 0 at 1000 Hz, uptime in milliseconds, and a delay
 * that halts instead of spinning.
 *
 * Context: see each function.
 * See: docs/interrupts.md
 */
#pragma once

#include <stdint.h>

#define TIMER_HZ 1000

/*
 * Starts PIT channel 0 at TIMER_HZ and registers the IRQ 0 handler. Boot,
 * before interrupts are enabled; needs tsc_set_hz().
 */
void timer_init(void);

/*
 * Milliseconds since kernel entry, from the TSC: never ahead of real time,
 * never backwards, whatever the interrupts do. Any context.
 */
uint64_t timer_uptime_ms(void);

/* Timer interrupts handled since timer_init(). Any context. */
uint64_t timer_ticks(void);

/*
 * Tick periods the TSC says have passed since the first tick with no
 * interrupt for them (the host was too busy to deliver each PIT edge): a
 * statistic only, since the time comes from the TSC. Any context.
 */
uint64_t timer_lost_ticks(void);

/*
 * Waits at least ms milliseconds of TSC time: a scheduler sleep once the
 * scheduler runs, halting between ticks before. Needs interrupts on
 * (KASSERT). Task context.
 */
void timer_sleep_ms(uint64_t ms);
