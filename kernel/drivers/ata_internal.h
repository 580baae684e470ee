/*
 * What ata.c (probe, PIO, the request path) and ata_dma.c (bus-master DMA)
 * share: the register map, the channel and disk structures, and the few
 * helpers both need to start and end a command.
 *
 * Locking: a channel's fields under "guarded by lock" belong to whoever
 * holds its mutex; the DMA completion fields are written by the IRQ
 * handler and read by the waiting task with interrupts off.
 * Context: task, except ata_dma_irq's side of the completion fields.
 * See: docs/storage.md
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "drivers/ata.h"
#include "drivers/ata_prd.h"
#include "mm/layout.h"
#include "sched/mutex.h"

/* Registers, as offsets from the channel's command block (ATA/ATAPI-6). */
#define ATA_REG_DATA    0
#define ATA_REG_ERROR   1
#define ATA_REG_COUNT   2
#define ATA_REG_LBA0    3
#define ATA_REG_LBA1    4
#define ATA_REG_LBA2    5
#define ATA_REG_DEVICE  6
#define ATA_REG_STATUS  7 /* read */
#define ATA_REG_COMMAND 7 /* write */
/* The control block's one register: device control (write), alt status. */
#define ATA_REG_CONTROL 0

#define ATA_SR_ERR   0x01
#define ATA_SR_DRQ   0x08
#define ATA_SR_DF    0x20
#define ATA_SR_BSY   0x80
#define ATA_CTL_IEN  0x00 /* device interrupts on (nIEN clear) */
#define ATA_CTL_NIEN 0x02 /* no interrupts from the device */
#define ATA_CTL_SRST 0x04 /* software reset of both devices on the channel */

#define ATA_TIMEOUT_MS  5000
#define LBA28_MAX_COUNT 256
#define LBA48_MAX_COUNT 65536
#define LBA28_LIMIT     (1ull << 28)

/* A PRD table fills one frame: 512 entries of 8 bytes. */
#define ATA_PRD_ENTRIES (4096 / sizeof(struct ata_prd))

struct ata_channel {
    uint16_t base; /* command block ports */
    uint16_t ctrl; /* control block port */
    const char *name;
    struct mutex lock; /* held for a whole command */

    /* Set once by ata_dma_init(), before any disk I/O: */
    uint16_t bm;         /* bus-master registers; 0: this channel has none */
    unsigned irq;        /* legacy line: 14 primary, 15 secondary */
    struct ata_prd *prd; /* the table, in a frame below 4 GiB */
    paddr_t prd_phys;

    /* Guarded by lock: */
    bool dma_off; /* a DMA command failed: PIO from then on */

    /* Completion, interrupts off: written by the IRQ, read by the waiter. */
    volatile bool dma_busy; /* a DMA command is in flight */
    volatile bool dma_done; /* the device raised its interrupt */
    volatile uint8_t dma_bm_status;
    volatile uint8_t dma_ata_status;
    struct task *volatile dma_waiter; /* sleeping until done, or NULL */
};

struct ata_disk {
    struct blockdev bd;
    struct ata_disk_info info;
    struct ata_channel *ch;
};

/* The two legacy channels (ata.c), primary first. */
extern struct ata_channel ata_channels[2];

/* Adds n to a counter of ata_stats with interrupts off. */
void ata_count(uint64_t *counter, uint64_t n);

/* The statistics the counters point into (ata.c). */
extern struct ata_stats ata_counters;

/* Reads the status register (which also acknowledges INTRQ). */
uint8_t ata_status(struct ata_channel *ch);

/* Four reads of the alternate status: the 400 ns a device needs. */
void ata_delay_400ns(struct ata_channel *ch);

/*
 * Selects the disk and the LBA28 top nibble (when !ext), waits for it to be
 * ready, then loads the count and address registers (n == max written as
 * 0). Returns 0 or -EIO.
 */
int ata_setup(struct ata_disk *d, uint64_t lba, uint32_t n, bool ext);

/*
 * Logs one line (what, the LBA, status and error registers), counts the
 * error and resets the channel. Returns -EIO.
 */
int ata_fail(struct ata_disk *d, const char *what, uint64_t lba);

/* True if the request needs the 48-bit commands. */
bool ata_needs_ext(const struct ata_disk *d, uint64_t lba, uint32_t n);

/*
 * Finds the PIIX IDE function on PCI, enables bus mastering and gives each
 * channel its registers, PRD table and IRQ handler. Logs what it found;
 * without a function (or with the `nodma` option) every channel stays on
 * PIO. Context: boot task, before the probe.
 */
void ata_dma_init(void);

/* Sectors one DMA command may move (the PRD table's reach). */
uint32_t ata_dma_max_sectors(const struct ata_disk *d);

/*
 * One DMA command of n sectors into buf (read) or from buf (write), the
 * channel's mutex held; an odd buffer or one above 4 GiB goes through a
 * bounce buffer. Returns 0; -EINVAL/-ERANGE when the buffer cannot be
 * described to the controller and no bounce buffer can be had, which the
 * caller answers with PIO; or -EIO after ata_fail() when the device or the
 * transfer failed or timed out. Context: task; sleeps until the IRQ.
 */
int ata_dma_transfer(struct ata_disk *d, uint64_t lba, uint32_t n, void *buf,
                     bool write);
