/*
 * The scheduler: preemptive round-robin over READY tasks, sleeping and
 * yielding, and an idle task that runs only when nothing else can.
 *
 * Context: see each function.
 * See: docs/scheduler.md
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#define SCHED_YIELD_VECTOR 0x30 /* its own vector: not the timer's */
#define SCHED_SLICE_TICKS  10   /* 10 ms at 1000 Hz (docs/scheduler.md) */
#define SCHED_HZ           1000

struct task;

/*
 * Turns the boot flow into the first task ("kmain"), creates the idle task
 * and claims the yield vector. Boot, interrupts off.
 */
void sched_init(void);

/* Gives up the CPU to the next READY task (through SCHED_YIELD_VECTOR). */
void sched_yield(void);

/*
 * Sleeps at least ms milliseconds of TSC time (the uptime), never less:
 * wakes on the first tick after the deadline. Task context.
 */
void sched_sleep_ms(uint64_t ms);

/*
 * Timer interrupts since the scheduler started (about one per ms): the unit
 * of slices and CPU accounting, not a clock (ticks can be lost or come in
 * bursts; the time is tsc_ns_since_entry()). Any context.
 */
uint64_t sched_ticks(void);

/*
 * The timer interrupt's part: CPU accounting, waking sleepers, and asking
 * for a switch when the slice is used up. Context: interrupt.
 */
void sched_tick(void);

/*
 * Called on the way out of every hardware interrupt, after its EOI: makes
 * the switch sched_tick() or a wake-up asked for. Context: interrupt.
 */
void sched_irq_exit(void);

/*
 * Switches to the next READY task (or idle). The caller has set the current
 * task's state; a RUNNING task is put back on the run queue. Interrupts off.
 */
void sched_switch(void);

/* Puts t (BLOCKED or SLEEPING) back on the run queue. Interrupts off. */
void sched_make_ready(struct task *t);

/* Removes t from the sleep list (it is being woken early). Interrupts off. */
void sched_cancel_sleep(struct task *t);

/*
 * Puts the current task, already marked BLOCKED on a wait queue, in the
 * sleep list too, so the first tick at or past deadline_ns (TSC uptime)
 * takes it off the queue again (wq_block_timed()). Interrupts off.
 */
void sched_add_deadline(uint64_t deadline_ns);

/* Registers a new task on the run queue. Interrupts off. */
void sched_add(struct task *t);

/* The idle task's share of CPU time over the last second, in per mille. */
unsigned sched_idle_permille(void);

/* True once sched_init() has run. */
bool sched_running(void);

/* The idle task (never on the run queue). */
struct task *sched_idle_task(void);

/* Context switches since boot (statistics). */
uint64_t sched_switch_count(void);
