/*
 * Benchmark of the interrupt path: a software `int` to a trivial handler
 * and back, through isr.S's stub (all 15 registers saved and restored),
 * trap_dispatch() and iretq.
 *
 * Context: the boot task.
 * See: docs/interrupts.md
 */
#include "kbench.h"

#include "arch/x86_64/cpu.h"
#include "arch/x86_64/irq.h"
#include "arch/x86_64/trap.h"

#include <stddef.h>

#define BENCH_VECTOR 0xf0 /* no hardware or kernel use */
#define BENCH_ROUNDS 100000

static volatile uint64_t bench_hits;

static void trivial(struct trap_frame *f)
{
    (void)f;
    bench_hits++;
}

KBENCH(irq_int_round_trip)
{
    trap_register(BENCH_VECTOR, trivial);
    /* Interrupts off, so no tick lands inside the measurement. */
    uint64_t flags = irq_save();
    uint64_t t0 = rdtsc();
    for (int i = 0; i < BENCH_ROUNDS; i++)
        __asm__ volatile("int %0" : : "i"(BENCH_VECTOR));
    uint64_t t1 = rdtsc();
    irq_restore(flags);
    trap_register(BENCH_VECTOR, NULL);
    kbench_report_ns_per_op("irq_int_round_trip", t1 - t0, BENCH_ROUNDS);
}
