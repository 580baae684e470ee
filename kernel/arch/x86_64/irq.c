/*
 * Hardware interrupts: from a vector to a driver's handler, and one EOI.
 *
 * The interrupt controller's driver (kernel/drivers/pic.c) puts lines 0-15
 * on vectors 0x20-0x2f, above the 32 the CPU reserves for exceptions, and
 * hands its operations over with irq_set_chip(); irq_init() registers
 * irq_trap() with trap.c for all sixteen. Every hardware interrupt then
 * takes one path:
 *
 *   1. Lines 7 and 15 are checked against the PIC's in-service register. A
 *      spurious IRQ 7 gets no EOI at all; a spurious IRQ 15 gets an EOI on
 *      the master only, because the master really did see the slave's
 *      request on its cascade line 2. Either is counted and ignored.
 *   2. The driver's handler runs (interrupts are still off: every IDT gate
 *      is an interrupt gate).
 *   3. Exactly one EOI is sent, after the handler, so the line cannot fire
 *      again until the handler has drained its device.
 *
 * Nothing else in the kernel sends EOIs, and only these sixteen vectors
 * send them: a software `int` on any other vector (the scheduler's yield
 * will have its own) never touches the PIC. The seed's yield reused the
 * timer vector, which made its clock run fast and sent EOIs for
 * interrupts that never happened.
 *
 * The chip is a driver, a floor up, so it is reached through the struct
 * irq_chip it registers, never by name. One call does go up a floor, on
 * purpose, and tools/check-layers lists it: sched_irq_exit(), the entry
 * path's one point where a switch may happen, as xv6's trap.c yields.
 *
 * Locking: handlers[] and chip are written at boot (or with interrupts
 * off) and read in interrupts; stats is written only in interrupts, read
 * with them off.
 * Context: interrupt (irq_trap), boot (irq_init, irq_register).
 * See: docs/interrupts.md
 */
#include "arch/x86_64/irq.h"

#include "lib/log.h"
#include "lib/panic.h"
#include "sched/sched.h"

static struct {
    const struct irq_chip *chip;
    irq_handler_fn handlers[IRQ_LINES];
    struct irq_stats stats;
} irq;

static void irq_trap(struct trap_frame *f)
{
    unsigned line = (unsigned)(f->vector - IRQ_BASE_VECTOR);

    const struct irq_chip *chip = irq.chip;

    if (line == IRQ_SPURIOUS_MASTER && !chip->in_service(line)) {
        irq.stats.spurious_master++;
        return;
    }
    if (line == IRQ_SPURIOUS_SLAVE && !chip->in_service(line)) {
        irq.stats.spurious_slave++;
        chip->eoi_master();
        irq.stats.eois++;
        return;
    }
    irq.stats.handled[line]++;
    if (irq.handlers[line])
        irq.handlers[line](f);
    else
        klog(LOG_WARN, "irq: line %u has no handler", line);
    chip->eoi(line);
    irq.stats.eois++;
    /* After the EOI: a switch now leaves the PIC ready for the next tick. */
    sched_irq_exit();
}

void irq_init(void)
{
    for (unsigned line = 0; line < IRQ_LINES; line++)
        trap_register((uint8_t)(IRQ_BASE_VECTOR + line), irq_trap);
}

void irq_set_chip(const struct irq_chip *chip)
{
    irq.chip = chip;
}

void irq_register(unsigned line, irq_handler_fn fn)
{
    KASSERT(line < IRQ_LINES && irq.chip != NULL);
    uint64_t flags = irq_save();
    irq.handlers[line] = fn;
    irq.chip->unmask(line);
    irq_restore(flags);
}

void irq_get_stats(struct irq_stats *out)
{
    uint64_t flags = irq_save();
    *out = irq.stats;
    irq_restore(flags);
}
