/*
 * Bus-master IDE DMA: the PIIX IDE function moves the sectors of a command
 * between the disk and memory itself, and interrupts when it is done.
 *
 * ata_dma_init() finds the IDE function on PCI (class 01h, subclass 01h),
 * lets it master the bus and takes its BAR4: eight I/O ports per channel
 * (command, status, PRD table address). Each channel gets one frame for its
 * PRD table and its legacy IRQ line (14, 15), since the function runs in
 * compatibility mode on the ISA ports ata.c already drives.
 *
 * A command (ata_dma_transfer(), the channel's mutex held) goes: describe
 * the buffer in the PRD table (ata_prd.c), point the controller at the
 * table and set the direction, clear the status bits, turn device
 * interrupts on, issue READ/WRITE DMA (EXT) and set the start bit; then the
 * task sleeps. The device raises INTRQ when the command ends; the IRQ
 * handler reads the bus-master status, reads the ATA status (which drops
 * INTRQ), clears the interrupt bit, records both and wakes the sleeper.
 * The task stops the engine, turns device interrupts off again and judges
 * the two status bytes. The sleep is a timed one (sched_sleep_ms) that the
 * IRQ cuts short, which gives the wait its ATA_TIMEOUT_MS bound: a lost
 * interrupt is a timeout, reported and reset as PIO failures are.
 *
 * A buffer the controller cannot take (odd, or above 4 GiB) is copied
 * through a bounce buffer from the heap: a read(2) at an odd file offset
 * makes FAT32 hand the driver an odd address, and PIO would cost an
 * emulated port access per word where the copy costs a memcpy.
 *
 * Sequence and bits: Intel 82371AB (PIIX4) datasheet, "Bus Master IDE
 * Operation" and the BMIC/BMIS/BMIDTP registers; commands from ATA/ATAPI-6.
 *
 * Locking: the channel's mutex for the command; the completion fields with
 * interrupts off (the IRQ handler writes them).
 * Context: task; ata_dma_irq() in IRQ context.
 * See: docs/storage.md
 */
#include "drivers/ata_internal.h"

#include <ember/errno.h>

#include "arch/x86_64/cpu.h"
#include "arch/x86_64/irq.h"
#include "drivers/pci.h"
#include "drivers/timer.h"
#include "lib/cmdline.h"
#include "lib/portable.h"
#include "mm/pmm.h"
#include "mm/vmm.h"
#include "sched/sched.h"
#include "sched/task.h"

/* Bus-master registers, from the channel's base in BAR4 (PIIX4 2.7.3). */
#define BM_REG_COMMAND    0
#define BM_REG_STATUS     2
#define BM_REG_PRDT       4 /* 32-bit physical address of the table */
#define BM_CHANNEL_STRIDE 8 /* primary at BAR4 + 0, secondary at + 8 */

#define BM_CMD_START 0x01 /* start/stop the engine */
#define BM_CMD_READ  0x08 /* direction: device to memory */
#define BM_ST_ACTIVE 0x01
#define BM_ST_ERR    0x02 /* write 1 to clear */
#define BM_ST_IRQ    0x04 /* the device interrupted; write 1 to clear */

#define ATA_CMD_READ_DMA      0xc8
#define ATA_CMD_READ_DMA_EXT  0x25
#define ATA_CMD_WRITE_DMA     0xca
#define ATA_CMD_WRITE_DMA_EXT 0x35

#define PCI_BAR4               (PCI_BAR0 + 4 * 4)
#define PCI_PROGIF_SHIFT       8
#define PCI_PROGIF_NATIVE_MASK 0x05 /* bits 0, 2: a channel in native mode */
#define SECTORS_PER_PAGE       (ATA_PRD_PAGE / ATA_SECTOR_BYTES)

uint32_t ata_dma_max_sectors(const struct ata_disk *d)
{
    /* An unaligned buffer touches one page more than its length. */
    uint32_t reach = (uint32_t)(ATA_PRD_ENTRIES - 1) * SECTORS_PER_PAGE;
    uint32_t cmd_max = d->info.lba48 ? LBA48_MAX_COUNT : LBA28_MAX_COUNT;
    return reach < cmd_max ? reach : cmd_max;
}

/* Interrupt: record the two status bytes and wake the sleeping task. */
static void dma_irq(struct ata_channel *ch)
{
    uint8_t bm = inb(ch->bm + BM_REG_STATUS);
    uint8_t st = ata_status(ch); /* reading it drops INTRQ */
    if (!ch->dma_busy || !(bm & BM_ST_IRQ))
        return; /* not a DMA command's end: nothing waits for it */
    outb(ch->bm + BM_REG_STATUS, BM_ST_IRQ);
    ch->dma_bm_status = bm;
    ch->dma_ata_status = st;
    ch->dma_done = true;
    struct task *t = ch->dma_waiter;
    if (t && t->state == TASK_SLEEPING) {
        sched_cancel_sleep(t);
        sched_make_ready(t);
    }
}

static void irq_primary(struct trap_frame *f)
{
    (void)f;
    dma_irq(&ata_channels[0]);
}

static void irq_secondary(struct trap_frame *f)
{
    (void)f;
    dma_irq(&ata_channels[1]);
}

/* PIIX-style IDE in compatibility mode, with an I/O BAR4; 0 otherwise. */
static uint16_t find_bus_master(struct pci_addr *pa)
{
    if (!pci_find_class(PCI_CLASS_STORAGE, PCI_SUBCLASS_IDE, pa)) {
        klog(LOG_INFO, "ata: no PCI IDE function: PIO only");
        return 0;
    }
    uint32_t progif = (pci_read32(*pa, PCI_CLASS_REV) >> PCI_PROGIF_SHIFT);
    uint32_t bar = pci_read32(*pa, PCI_BAR4);
    if ((progif & PCI_PROGIF_NATIVE_MASK) || !(bar & PCI_BAR_IO) ||
        (bar & PCI_BAR_IO_MASK) == 0) {
        klog(LOG_INFO,
             "ata: IDE function %02x:%02x.%u has no usable bus master "
             "(prog-if 0x%02x, BAR4 0x%x): PIO only",
             pa->bus, pa->dev, pa->fn, progif & 0xff, bar);
        return 0;
    }
    return (uint16_t)(bar & PCI_BAR_IO_MASK);
}

void ata_dma_init(void)
{
    struct pci_addr pa;

    if (cmdline_has("nodma")) {
        klog(LOG_INFO, "ata: DMA off (nodma): PIO only");
        return;
    }
    uint16_t bm = find_bus_master(&pa);
    if (bm == 0)
        return;
    pci_write16(pa, PCI_COMMAND,
                pci_read16(pa, PCI_COMMAND) | PCI_CMD_IO | PCI_CMD_BUS_MASTER);
    static const unsigned lines[2] = {ATA_IRQ_PRIMARY, ATA_IRQ_SECONDARY};
    static const irq_handler_fn handlers[2] = {irq_primary, irq_secondary};
    for (unsigned c = 0; c < 2; c++) {
        struct ata_channel *ch = &ata_channels[c];
        paddr_t frame = pmm_alloc();
        if (frame == 0 || frame >= ATA_PRD_ADDR_LIMIT) {
            klog(LOG_WARN, "ata: no frame below 4 GiB for the %s PRD table",
                 ch->name);
            continue;
        }
        ch->prd_phys = frame;
        ch->prd = hhdm_ptr(frame);
        ch->irq = lines[c];
        ch->bm = (uint16_t)(bm + c * BM_CHANNEL_STRIDE);
        outb(ch->bm + BM_REG_COMMAND, 0);
        outb(ch->bm + BM_REG_STATUS, BM_ST_ERR | BM_ST_IRQ);
        irq_register(ch->irq, handlers[c]);
    }
    klog(LOG_INFO, "ata: bus-master DMA at port 0x%x (PCI %02x:%02x.%u)", bm,
         pa.bus, pa.dev, pa.fn);
}

/* The PRD builder's translation: the current address space's tables. */
static int xlate(void *ctx, uintptr_t va, uint64_t *pa)
{
    (void)ctx;
    paddr_t p;
    int err = vmm_translate(vmm_current(), va, &p, NULL);
    *pa = p;
    return err;
}

/*
 * Sleeps until the IRQ handler marks the command done or the timeout
 * passes. Returns true if it is done. Interrupts are off between the check and
 * the sleep, so the interrupt cannot come in between and be missed.
 */
static bool wait_done(struct ata_channel *ch)
{
    uint64_t deadline = timer_uptime_ms() + ATA_TIMEOUT_MS;
    uint64_t flags = irq_save();
    while (!ch->dma_done) {
        uint64_t now = timer_uptime_ms();
        if (now >= deadline)
            break;
        ch->dma_waiter = task_current();
        sched_sleep_ms(deadline - now);
        ch->dma_waiter = NULL;
    }
    bool done = ch->dma_done;
    ch->dma_busy = false;
    irq_restore(flags);
    return done;
}

/* Issues the command and sets the engine going; 0 or -EIO. */
static int start(struct ata_disk *d, uint64_t lba, uint32_t n, bool write)
{
    struct ata_channel *ch = d->ch;
    bool ext = ata_needs_ext(d, lba, n);
    uint8_t dir = write ? 0 : BM_CMD_READ;

    outb(ch->bm + BM_REG_COMMAND, dir); /* stopped, direction set */
    outl(ch->bm + BM_REG_PRDT, (uint32_t)ch->prd_phys);
    outb(ch->bm + BM_REG_STATUS, BM_ST_ERR | BM_ST_IRQ);
    if (ata_setup(d, lba, n, ext) < 0)
        return -EIO;
    uint64_t flags = irq_save();
    ch->dma_done = false;
    ch->dma_busy = true;
    irq_restore(flags);
    outb(ch->ctrl + ATA_REG_CONTROL, ATA_CTL_IEN);
    outb(ch->base + ATA_REG_COMMAND,
         write ? (ext ? ATA_CMD_WRITE_DMA_EXT : ATA_CMD_WRITE_DMA)
               : (ext ? ATA_CMD_READ_DMA_EXT : ATA_CMD_READ_DMA));
    outb(ch->bm + BM_REG_COMMAND, dir | BM_CMD_START);
    return 0;
}

/* One command through buf, which the PRD table already describes. */
static int run(struct ata_disk *d, uint64_t lba, uint32_t n, bool write)
{
    struct ata_channel *ch = d->ch;
    if (start(d, lba, n, write) < 0)
        return ata_fail(d, "select for DMA", lba);
    bool done = wait_done(ch);
    outb(ch->bm + BM_REG_COMMAND, write ? 0 : BM_CMD_READ); /* stop */
    outb(ch->ctrl + ATA_REG_CONTROL, ATA_CTL_NIEN);
    if (!done)
        return ata_fail(
            d, write ? "DMA write (no interrupt)" : "DMA read (no interrupt)",
            lba);
    uint8_t bm = ch->dma_bm_status, st = ch->dma_ata_status;
    if ((bm & BM_ST_ERR) || (st & (ATA_SR_ERR | ATA_SR_DF | ATA_SR_BSY)))
        return ata_fail(d, write ? "DMA write" : "DMA read", lba);
    ata_count(&ata_counters.dma_cmds, 1);
    return 0;
}

/*
 * A buffer the controller cannot take (an odd address: a read(2) at an odd
 * file offset lands here; memory above 4 GiB) goes through a bounce buffer
 * from the heap: a copy at memory speed instead of PIO, which costs an
 * emulated port access per word. Returns what the builder did when even
 * the bounce buffer cannot be had or described (the caller then uses PIO).
 */
static int run_bounced(struct ata_disk *d, uint64_t lba, uint32_t n, void *buf,
                       bool write, int why)
{
    size_t bytes = (size_t)n * ATA_SECTOR_BYTES;
    uint8_t *bounce = kmalloc(bytes);
    if (bounce == NULL)
        return why;
    int err =
        ata_prd_build(d->ch->prd, ATA_PRD_ENTRIES, bounce, bytes, xlate, NULL);
    if (err >= 0) {
        if (write)
            memcpy(bounce, buf, bytes);
        err = run(d, lba, n, write);
        if (err == 0 && !write)
            memcpy(buf, bounce, bytes);
        if (err == 0)
            ata_count(&ata_counters.dma_bounced, 1);
    } else {
        err = why;
    }
    kfree(bounce);
    return err;
}

int ata_dma_transfer(struct ata_disk *d, uint64_t lba, uint32_t n, void *buf,
                     bool write)
{
    int entries = ata_prd_build(d->ch->prd, ATA_PRD_ENTRIES, buf,
                                (size_t)n * ATA_SECTOR_BYTES, xlate, NULL);
    if (entries == -EINVAL || entries == -ERANGE)
        return run_bounced(d, lba, n, buf, write, entries);
    if (entries < 0)
        return -EINVAL; /* not mapped, or too many pieces: PIO will do it */
    return run(d, lba, n, write);
}
