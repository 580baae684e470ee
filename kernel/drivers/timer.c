/*
 * The system clock: counts PIT channel 0's interrupts into an uptime.
 *
 * Channel 0 runs at 1193182 / 1193 = 1000.15 Hz (kernel/drivers/pit.c), so
 * one tick is 999847 ns, not a round millisecond; the uptime is ticks times
 * that period, which keeps it from gaining 0.015% (13 s a day). The count
 * starts at the first interrupt, from the TSC's time since kernel entry:
 * that is the clock the log used during boot, and it is also what
 * timer_uptime_ms() returns until then, so timestamps never go back.
 *
 * Lost ticks. Under emulation the PIT's edges are due at host times, but
 * the guest sees one only when QEMU's CPU thread gets to run; on a busy host
 * two edges can fall before the guest acknowledges the first, and the 8259
 * merges them into one interrupt. A clock that counts interrupts then runs
 * slow. So each tick also reads the TSC (its rate measured at boot against
 * PIT channel 2; under TCG it follows the host's clock) and, if the TSC
 * shows more whole periods since timer_init() than were counted, credits the
 * missing ones. The uptime still moves only inside the interrupt handler,
 * and never backwards; it just cannot fall behind the TSC by more than
 * TIMER_LOST_SLACK periods. The seed's clock had the opposite bug: its
 * yield raised the timer's vector, so every yield was a tick.
 *
 * Locking: the counters are written only by the IRQ 0 handler and read
 * anywhere; aligned 64-bit loads are atomic on x86_64, and the fields are
 * volatile so a loop that waits for them rereads memory.
 * Context: interrupt (tick), any (readers).
 * See: docs/interrupts.md
 */
#include "drivers/timer.h"

#include "arch/x86_64/cpu.h"
#include "arch/x86_64/irq.h"
#include "arch/x86_64/tsc.h"
#include "drivers/pit.h"
#include "lib/log.h"
#include "sched/sched.h"

#define NS_PER_MS        1000000u
#define NS_PER_S         1000000000u
/* Periods of interrupt latency tolerated before the TSC's count is taken. */
#define TIMER_LOST_SLACK 2

static struct {
    volatile uint64_t ticks;   /* periods since the first tick, lost included */
    volatile uint64_t irqs;    /* interrupts actually handled */
    volatile uint64_t lost;    /* periods credited from the TSC */
    volatile uint64_t base_ms; /* uptime at the first tick; 0 before it */
    uint64_t start_tsc;        /* TSC at the first tick */
    uint64_t period_ns;        /* one tick: divisor / PIT_HZ seconds */
} timer;

/* Whole tick periods the TSC says have passed since the first tick. */
static uint64_t tsc_periods(void)
{
    return tsc_cycles_to_ns(rdtsc() - timer.start_tsc) / timer.period_ns;
}

static void timer_tick(struct trap_frame *f)
{
    (void)f;
    timer.irqs++;
    if (timer.base_ms == 0) {
        timer.start_tsc = rdtsc();
        timer.base_ms = tsc_ms_since_entry();
        return;
    }
    uint64_t ticks = timer.ticks + 1;
    uint64_t by_tsc = tsc_periods();

    if (by_tsc > ticks + TIMER_LOST_SLACK) {
        timer.lost += by_tsc - ticks;
        ticks = by_tsc;
    }
    timer.ticks = ticks;
    sched_tick();
}

void timer_init(void)
{
    KASSERT(tsc_hz() != 0);
    uint16_t divisor = pit_start_periodic(TIMER_HZ);
    timer.period_ns = (uint64_t)divisor * NS_PER_S / PIT_HZ;
    irq_register(IRQ_TIMER, timer_tick);
    klog(LOG_INFO, "timer: PIT channel 0 at %u Hz (divisor %u, %lu ns)",
         TIMER_HZ, divisor, (unsigned long)timer.period_ns);
}

uint64_t timer_uptime_ms(void)
{
    uint64_t base = timer.base_ms;

    if (base == 0)
        return tsc_ms_since_entry(); /* no tick yet */
    return base + timer.ticks * timer.period_ns / NS_PER_MS;
}

uint64_t timer_ticks(void)
{
    return timer.irqs;
}

uint64_t timer_lost_ticks(void)
{
    return timer.lost;
}

void timer_sleep_ms(uint64_t ms)
{
    KASSERT(read_rflags() & RFLAGS_IF);
    if (sched_running()) {
        sched_sleep_ms(ms);
        return;
    }
    /* +1: "now" may be up to a tick old, and the wait must be at least ms. */
    uint64_t end = timer_uptime_ms() + ms + 1;

    /*
     * Test with interrupts off, then `sti; hlt`: sti takes effect after the
     * next instruction, so no tick can slip in between the test and the
     * halt and leave us asleep past the deadline.
     */
    for (;;) {
        cli();
        if (timer_uptime_ms() >= end)
            break;
        irq_wait();
    }
    sti();
}
