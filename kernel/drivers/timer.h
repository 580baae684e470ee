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
 * Milliseconds since kernel entry. From the first tick on it advances only
 * in the IRQ 0 handler; before it, it is the TSC's count. Any context.
 */
uint64_t timer_uptime_ms(void);

/* Timer interrupts handled since timer_init(). Any context. */
uint64_t timer_ticks(void);

/*
 * Tick periods the TSC showed had passed with no interrupt for them (the
 * host was too busy to deliver each PIT edge), credited to the uptime.
 */
uint64_t timer_lost_ticks(void);

/*
 * Waits at least ms milliseconds, halting the CPU between ticks. Needs
 * interrupts on (KASSERT). Task context; the scheduler will replace the halt
 * with a real sleep (docs/scheduler.md).
 */
void timer_sleep_ms(uint64_t ms);
