/*
 * The two 8259A programmable interrupt controllers, master and slave.
 *
 * Only kernel/arch/x86_64/irq.c calls these: drivers register handlers with
 * irq_register() and never talk to the PIC themselves.
 *
 * Context: any; callers that race with interrupts turn them off first.
 * See: docs/interrupts.md
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#define PIC_LINES           16
#define PIC_CASCADE_LINE    2 /* the slave's output enters the master here */
#define PIC_SPURIOUS_MASTER 7
#define PIC_SPURIOUS_SLAVE  15

/*
 * Reprograms both chips so lines 0-15 arrive on vectors base .. base+15
 * (the BIOS leaves them on 0x08-0x0F, on top of the CPU's exceptions), and
 * masks every line.
 */
void pic_init(uint8_t base);

/* Lets line `irq` (0-15) through; a slave line also opens the cascade. */
void pic_unmask(unsigned irq);
void pic_mask(unsigned irq);

/*
 * True if line `irq` is really in service (its ISR bit is set). For lines 7
 * and 15 a false answer means the interrupt was spurious: the request went
 * away before the CPU acknowledged it, and the chip reported its lowest
 * priority line instead.
 */
bool pic_in_service(unsigned irq);

/* End of interrupt for `irq`: to the slave and the master, or the master. */
void pic_eoi(unsigned irq);

/* End of interrupt to the master alone (a spurious IRQ 15 needs this). */
void pic_eoi_master(void);
