/*
 * The two 8259A programmable interrupt controllers, master and slave.
 *
 * kmain() calls pic_init() once; after that the chip is driven only by
 * kernel/arch/x86_64/irq.c, through the struct irq_chip pic_init()
 * registers. Drivers register handlers with irq_register() and never talk
 * to the PIC themselves.
 *
 * Context: any; callers that race with interrupts turn them off first.
 * See: docs/interrupts.md
 */
#pragma once

#define PIC_LINES        16
#define PIC_CASCADE_LINE 2 /* the slave's output enters the master here */

/*
 * Reprograms both chips so lines 0-15 arrive on vectors IRQ_BASE_VECTOR ..
 * +15 (the BIOS leaves them on 0x08-0x0F, on top of the CPU's exceptions),
 * masks every line, and registers the chip's operations with
 * irq_set_chip(). Boot, before any driver's irq_register().
 */
void pic_init(void);
