/*
 * The system tick: PIT channel 0's interrupt wakes the kernel 1000 times a
 * second; the time itself comes from the TSC.
 *
 * Channel 0 runs at 1193182 / 1193 = 1000.15 Hz (kernel/drivers/pit.c).
 * Each interrupt drives the scheduler (slices, sleepers, CPU accounting),
 * but nothing counts interrupts to tell the time. Under emulation the PIT's
 * edges fall due at host times and reach the guest only when QEMU's CPU
 * thread runs: on a busy host two edges can merge into one interrupt (an
 * interrupt-counting clock then runs slow), and interrupts that QEMU had
 * to hold back arrive in a burst (the clock then runs ahead, and a sleep
 * ends early). The TSC follows real time continuously, so the uptime is
 * the TSC's time since kernel entry (arch/x86_64/tsc.c), and sleepers are
 * woken by comparing their deadline with it: a sleep lasts at least as long
 * as asked however late or bunched the ticks are, and ends at the first
 * tick after its deadline.
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

#define NS_PER_MS 1000000u
#define NS_PER_S  1000000000u

static struct {
    volatile uint64_t irqs; /* interrupts handled */
    uint64_t first_ns;      /* uptime at the first interrupt; 0 before it */
    uint64_t period_ns;     /* one tick: divisor / PIT_HZ seconds */
} timer;

static void timer_tick(struct trap_frame *f)
{
    (void)f;
    if (timer.irqs++ == 0)
        timer.first_ns = tsc_ns_since_entry();
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
    return tsc_ms_since_entry();
}

uint64_t timer_ticks(void)
{
    return timer.irqs;
}

uint64_t timer_lost_ticks(void)
{
    uint64_t irqs = timer.irqs;
    if (irqs == 0)
        return 0;
    uint64_t due = (tsc_ns_since_entry() - timer.first_ns) / timer.period_ns;
    return due > irqs ? due - irqs : 0;
}

void timer_sleep_ms(uint64_t ms)
{
    KASSERT(read_rflags() & RFLAGS_IF);
    if (sched_running()) {
        sched_sleep_ms(ms);
        return;
    }
    uint64_t end = tsc_ns_since_entry() + ms * NS_PER_MS;

    /*
     * Test with interrupts off, then `sti; hlt`: sti takes effect after the
     * next instruction, so no tick can slip in between the test and the
     * halt and leave us asleep past the deadline.
     */
    for (;;) {
        cli();
        if (tsc_ns_since_entry() >= end)
            break;
        irq_wait();
    }
    sti();
}
