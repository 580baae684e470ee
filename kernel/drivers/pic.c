/*
 * 8259A PIC driver: remapping, masking, the in-service check and EOI.
 *
 * The PC has two 8259As. The master takes lines 0-7 and the slave 8-15; the
 * slave's output is wired into the master's line 2, so a slave interrupt is
 * in service on both chips and needs an EOI on both. Initialisation is the
 * four-word sequence from the 8259A datasheet (ICW1-ICW4): edge triggered,
 * cascaded, the vector base, who is wired where, and 8086 mode.
 *
 * Spurious interrupts: if a request disappears between the chip raising INTR
 * and the CPU's acknowledge cycle, the chip still answers, with its lowest
 * priority line (7 on the master, 15 on the slave), and sets no ISR bit.
 * Reading the ISR (OCW3 0x0b) tells the two apart; irq.c does that for
 * lines 7 and 15 before calling any handler.
 *
 * irq.c, the dispatcher, sits on the floor below, so it does not call this
 * file by name: pic_init() hands it the chip's operations (struct
 * irq_chip, irq_set_chip()), and that table is all irq.c knows of the PIC.
 *
 * Locking: the mask bytes are changed at boot, or with interrupts off.
 * Context: any.
 * See: docs/interrupts.md
 */
#include "drivers/pic.h"

#include "arch/x86_64/cpu.h"
#include "arch/x86_64/irq.h"

#define PIC1_CMD           0x20
#define PIC1_DATA          0x21
#define PIC2_CMD           0xa0
#define PIC2_DATA          0xa1
#define ICW1_INIT          0x11 /* ICW1: init, edge triggered, ICW4 follows */
#define ICW3_MASTER        (1u << PIC_CASCADE_LINE) /* slave on line 2 */
#define ICW3_SLAVE         PIC_CASCADE_LINE /* slave's cascade identity */
#define ICW4_8086          0x01
#define OCW2_EOI           0x20 /* non-specific end of interrupt */
#define OCW3_READ_ISR      0x0b
#define PIC_ALL_MASKED     0xff
#define PIC_LINES_PER_CHIP 8

/*
 * The interrupt mask of each chip, master first: a set bit blocks a line.
 * Kept here because reading the mask back costs a port access. Changed at
 * boot or with interrupts off (irq_register()).
 */
static uint8_t masks[2] = {PIC_ALL_MASKED, PIC_ALL_MASKED};

static void write_masks(void)
{
    outb(PIC1_DATA, masks[0]);
    outb(PIC2_DATA, masks[1]);
}

static void pic_unmask(unsigned irq)
{
    if (irq >= PIC_LINES_PER_CHIP)
        masks[0] &= (uint8_t) ~(1u << PIC_CASCADE_LINE);
    masks[irq / PIC_LINES_PER_CHIP] &=
        (uint8_t) ~(1u << (irq % PIC_LINES_PER_CHIP));
    write_masks();
}

static bool pic_in_service(unsigned irq)
{
    uint16_t port = irq < PIC_LINES_PER_CHIP ? PIC1_CMD : PIC2_CMD;

    outb(port, OCW3_READ_ISR);
    return inb(port) & (1u << (irq % PIC_LINES_PER_CHIP));
}

static void pic_eoi(unsigned irq)
{
    if (irq >= PIC_LINES_PER_CHIP)
        outb(PIC2_CMD, OCW2_EOI);
    outb(PIC1_CMD, OCW2_EOI);
}

static void pic_eoi_master(void)
{
    outb(PIC1_CMD, OCW2_EOI);
}

static const struct irq_chip pic_chip = {
    .unmask = pic_unmask,
    .in_service = pic_in_service,
    .eoi = pic_eoi,
    .eoi_master = pic_eoi_master,
};

void pic_init(void)
{
    uint8_t base = IRQ_BASE_VECTOR;

    /* io_wait() between words: old chips need time between writes. */
    outb(PIC1_CMD, ICW1_INIT);
    io_wait();
    outb(PIC2_CMD, ICW1_INIT);
    io_wait();
    outb(PIC1_DATA, base);
    io_wait();
    outb(PIC2_DATA, (uint8_t)(base + PIC_LINES_PER_CHIP));
    io_wait();
    outb(PIC1_DATA, ICW3_MASTER);
    io_wait();
    outb(PIC2_DATA, ICW3_SLAVE);
    io_wait();
    outb(PIC1_DATA, ICW4_8086);
    io_wait();
    outb(PIC2_DATA, ICW4_8086);
    io_wait();
    masks[0] = masks[1] = PIC_ALL_MASKED;
    write_masks();
    irq_set_chip(&pic_chip);
}
