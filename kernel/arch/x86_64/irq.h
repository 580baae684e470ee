/*
 * Hardware interrupt lines: registration, and turning interrupts off and on
 * around short critical sections.
 *
 * A driver calls irq_register(line, fn) once at boot; fn then runs for every
 * real interrupt on that line, after the spurious check and before the one
 * end-of-interrupt that irq.c sends for it. Handlers run with interrupts off
 * and must not sleep or switch tasks: the scheduler asks for a switch and
 * makes it on the way out, after the EOI (docs/scheduler.md).
 *
 * Context: see each function.
 * See: docs/interrupts.md
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "arch/x86_64/cpu.h"
#include "arch/x86_64/trap.h"

#define IRQ_BASE_VECTOR 0x20 /* lines 0-15 arrive on vectors 0x20-0x2f */
#define IRQ_LINES       16

/* The lines Ember uses (the PC/AT wiring). */
#define IRQ_TIMER    0
#define IRQ_KEYBOARD 1
#define IRQ_COM1     4
#define IRQ_MOUSE    12

/*
 * Where a spurious interrupt shows up: an 8259A that loses a request
 * between raising INTR and the CPU's acknowledge answers with its lowest
 * priority line, 7 on the master and 15 on the slave (8259A datasheet).
 */
#define IRQ_SPURIOUS_MASTER 7
#define IRQ_SPURIOUS_SLAVE  15

typedef void (*irq_handler_fn)(struct trap_frame *f);

/*
 * The interrupt controller, as irq.c drives it. Its driver
 * (kernel/drivers/pic.c) sits a floor up, so it fills this in and hands it
 * over with irq_set_chip() at boot; irq.c never names it.
 */
struct irq_chip {
    void (*unmask)(unsigned line); /* and the cascade, for lines 8-15 */
    /* True if line is really in service; false on 7 or 15: spurious. */
    bool (*in_service)(unsigned line);
    void (*eoi)(unsigned line); /* to the slave and the master, or the master */
    void (*eoi_master)(void);   /* the master alone: a spurious IRQ 15's */
};

/* Claims vectors 0x20-0x2f for the sixteen lines. Boot. */
void irq_init(void);

/*
 * Makes chip the controller irq_register() and every interrupt use; it
 * must already have its lines on vectors 0x20-0x2f, all masked. Boot,
 * before any irq_register().
 */
void irq_set_chip(const struct irq_chip *chip);

/*
 * Installs fn for `line` (0-15) and unmasks the line (and the cascade, for
 * lines 8-15). Boot, or with interrupts off. A later call replaces fn.
 */
void irq_register(unsigned line, irq_handler_fn fn);

/* Interrupt counts since boot, for tests and statistics. */
struct irq_stats {
    uint64_t handled[IRQ_LINES]; /* real interrupts, per line */
    uint64_t eois;               /* EOIs sent: one per real interrupt, plus
                                    one per spurious IRQ 15 (to the master) */
    uint64_t spurious_master;    /* spurious IRQ 7 */
    uint64_t spurious_slave;     /* spurious IRQ 15 */
};

/* Copies the counters (interrupts briefly off). Any context. */
void irq_get_stats(struct irq_stats *out);

/*
 * Turns interrupts off and returns the previous RFLAGS, for irq_restore().
 * Used around data an interrupt handler also touches (the input rings).
 */
static inline uint64_t irq_save(void)
{
    uint64_t flags = read_rflags();
    cli();
    return flags;
}

/*
 * Enables interrupts and halts until one arrives, as one step: sti delays
 * its effect by one instruction, so an interrupt cannot land between the
 * two and leave the CPU halted with its wake-up already gone. Call with
 * interrupts off, after checking the condition being waited for.
 */
static inline void irq_wait(void)
{
    __asm__ volatile("sti; hlt" : : : "memory");
}

/* Turns interrupts back on if irq_save() found them on. */
static inline void irq_restore(uint64_t flags)
{
    if (flags & RFLAGS_IF)
        sti();
}
