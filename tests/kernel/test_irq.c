/*
 * Self-tests of the interrupt layer and the timer: the tick runs, uptime
 * follows real time, sleeping waits, and EOIs are sent once per real
 * interrupt and never for a spurious or software one.
 *
 * They run after kmain() has enabled interrupts. Time is checked against
 * the TSC (calibrated at boot), with generous bounds: under TCG on a busy
 * host a guest millisecond can stretch, and these tests prove behaviour,
 * not speed.
 *
 * Context: the boot task, interrupts on.
 * See: docs/interrupts.md
 */
#include "ktest.h"

#include "arch/x86_64/cpu.h"
#include "arch/x86_64/irq.h"
#include "arch/x86_64/trap.h"
#include "arch/x86_64/tsc.h"
#include "drivers/timer.h"

#include <stddef.h>

#define TEST_VECTOR    0xf0 /* no hardware or kernel use */
#define VECTOR_SPUR_7  (IRQ_BASE_VECTOR + 7)
#define VECTOR_SPUR_15 (IRQ_BASE_VECTOR + 15)
#define NS_PER_MS      1000000u

static volatile int soft_hits;

static void count_soft(struct trap_frame *f)
{
    (void)f;
    soft_hits++;
}

static uint64_t tsc_ms_between(uint64_t t0, uint64_t t1)
{
    return tsc_cycles_to_ns(t1 - t0) / NS_PER_MS;
}

/* Interrupts are on after boot, and the tick runs without our help. */
KTEST(irq_timer_advances)
{
    KTEST_CHECK(read_rflags() & RFLAGS_IF);
    uint64_t ticks = timer_ticks();
    uint64_t up = timer_uptime_ms();
    uint64_t t0 = rdtsc();
    while (tsc_ms_between(t0, rdtsc()) < 20)
        ;
    /* Interrupts may be lost on a busy host; the uptime makes up for them. */
    KTEST_CHECK(timer_ticks() > ticks);
    KTEST_CHECK(timer_uptime_ms() >= up + 15);
}

/* timer_sleep_ms waits at least as long as asked, and not wildly longer. */
KTEST(irq_sleep_waits)
{
    uint64_t t0 = rdtsc();
    uint64_t up0 = timer_uptime_ms();
    timer_sleep_ms(100);
    uint64_t took_ms = tsc_ms_between(t0, rdtsc());
    uint64_t up_ms = timer_uptime_ms() - up0;
    KTEST_CHECK(up_ms >= 100);
    /* The uptime is the TSC's time: a sleep is never short of it either. */
    KTEST_CHECK(took_ms >= 100);
    KTEST_CHECK(took_ms < 1000); /* a busy host may delay the wake-up */
}

/* The uptime never goes backwards, read as fast as we can. */
KTEST(irq_uptime_monotonic)
{
    uint64_t prev = timer_uptime_ms();
    uint64_t t0 = rdtsc();
    bool ok = true;
    while (tsc_ms_between(t0, rdtsc()) < 20) {
        uint64_t now = timer_uptime_ms();
        ok = ok && now >= prev;
        prev = now;
    }
    KTEST_CHECK(ok);
}

/* Every real interrupt got exactly one EOI. */
KTEST(irq_eoi_once_per_interrupt)
{
    struct irq_stats a, b;
    irq_get_stats(&a);
    timer_sleep_ms(20);
    irq_get_stats(&b);
    uint64_t handled = 0;
    for (unsigned i = 0; i < IRQ_LINES; i++)
        handled += b.handled[i] - a.handled[i];
    KTEST_CHECK(handled >= 1);
    KTEST_CHECK(b.eois - a.eois ==
                handled + (b.spurious_slave - a.spurious_slave));
}

/*
 * `int 0x27` looks to the CPU like IRQ 7, but the master's in-service bit 7
 * is clear: it must be taken as spurious, with no EOI and no handler.
 */
KTEST(irq_spurious_7_gets_no_eoi)
{
    struct irq_stats a, b;
    uint64_t flags = irq_save();
    irq_get_stats(&a);
    __asm__ volatile("int %0" : : "i"(VECTOR_SPUR_7));
    irq_get_stats(&b);
    irq_restore(flags);
    KTEST_CHECK(b.spurious_master == a.spurious_master + 1);
    KTEST_CHECK(b.eois == a.eois);
    KTEST_CHECK(b.handled[7] == a.handled[7]);
}

/* A spurious IRQ 15 still owes the master its EOI, and only that. */
KTEST(irq_spurious_15_eoi_master_only)
{
    struct irq_stats a, b;
    uint64_t flags = irq_save();
    irq_get_stats(&a);
    __asm__ volatile("int %0" : : "i"(VECTOR_SPUR_15));
    irq_get_stats(&b);
    irq_restore(flags);
    KTEST_CHECK(b.spurious_slave == a.spurious_slave + 1);
    KTEST_CHECK(b.eois == a.eois + 1);
    KTEST_CHECK(b.handled[15] == a.handled[15]);
}

/*
 * A software interrupt on a vector of its own reaches its handler and
 * leaves the timer and the PIC alone: the seed's yield did not.
 */
KTEST(irq_soft_int_is_not_a_tick)
{
    struct irq_stats a, b;
    trap_register(TEST_VECTOR, count_soft);
    soft_hits = 0;
    uint64_t flags = irq_save();
    irq_get_stats(&a);
    uint64_t ticks = timer_ticks();
    for (int i = 0; i < 1000; i++)
        __asm__ volatile("int %0" : : "i"(TEST_VECTOR));
    uint64_t ticks_after = timer_ticks();
    irq_get_stats(&b);
    irq_restore(flags);
    trap_register(TEST_VECTOR, NULL);
    KTEST_CHECK(soft_hits == 1000);
    KTEST_CHECK(ticks_after == ticks);
    KTEST_CHECK(b.eois == a.eois);
}
