/*
 * ATA disks: IDENTIFY, READ/WRITE by bus-master DMA or PIO, CACHE FLUSH.
 *
 * This file probes the disks and carries each request: it splits it into
 * commands the drive accepts and hands each one to bus-master DMA
 * (ata_dma.c) when the channel has it and the buffer suits the controller,
 * and to programmed I/O here otherwise. PIO is the fallback in three cases:
 * no PCI IDE function (or the `nodma` option, or ata_set_dma(false)), a
 * buffer DMA cannot reach even through a bounce buffer (no memory for
 * one), and a channel whose DMA command once failed (the failure is logged
 * once and the command redone by PIO).
 *
 * PIO: the CPU moves every 16-bit word through the data port. Device
 * interrupts are off (nIEN) and the driver polls the status register; a
 * poll not answered at once yields the CPU, and gives up after
 * ATA_TIMEOUT_MS. Every failure (an error bit, a timeout, a device that
 * ends a command without data) returns -EIO with one log line and resets
 * the channel, so a missing, dead or confused drive never hangs the kernel
 * and the next command starts from a known state.
 *
 * A transfer of n sectors is one command when it fits (256 sectors for
 * LBA28, 65,536 for LBA48, the PRD table's 4,088 for DMA), so a run of
 * contiguous clusters costs one command, not one per sector. LBA48 is used
 * only when the drive has it and the request needs it.
 *
 * Register layout and commands: ATA/ATAPI-6 (T13 1410D), as summarised by
 * the OSDev wiki's "ATA PIO Mode" page; signatures from its "ATAPI" page.
 *
 * Locking: each channel has a sleeping mutex: a command and its data
 * transfer are one critical section, run with interrupts on. The counters
 * are updated with interrupts off.
 * Context: task.
 * See: docs/storage.md
 */
#include "drivers/ata.h"

#include <ember/errno.h>

#include "arch/x86_64/cpu.h"
#include "arch/x86_64/irq.h"
#include "drivers/ata_internal.h"
#include "drivers/timer.h"
#include "lib/portable.h"
#include "sched/mutex.h"
#include "sched/sched.h"

#define ATA_DEV_LBA   0x40
#define ATA_DEV_SLAVE 0x10
#define ATA_DEV_OBS   0xa0 /* obsolete bits, set by convention */

#define ATA_CMD_READ      0x20
#define ATA_CMD_READ_EXT  0x24
#define ATA_CMD_WRITE     0x30
#define ATA_CMD_WRITE_EXT 0x34
#define ATA_CMD_FLUSH     0xe7
#define ATA_CMD_FLUSH_EXT 0xea
#define ATA_CMD_IDENTIFY  0xec

/* IDENTIFY data, in 16-bit words. */
#define ATA_ID_WORDS         256
#define ATA_ID_MODEL         27 /* 20 words, bytes swapped in each word */
#define ATA_ID_MODEL_WORDS   20
#define ATA_ID_LBA28_SECTORS 60
#define ATA_ID_CMDSET2       83 /* bit 10: LBA48 */
#define ATA_ID_LBA48_SECTORS 100
#define ATA_ID_CMDSET2_LBA48 (1u << 10)

/* Signatures left in LBA1/LBA2 by a device that aborts IDENTIFY. */
#define ATA_SIG_ATAPI_LO  0x14
#define ATA_SIG_ATAPI_HI  0xeb
#define ATA_SIG_SATAPI_LO 0x69
#define ATA_SIG_SATAPI_HI 0x96
#define ATA_SIG_SATA_LO   0x3c
#define ATA_SIG_SATA_HI   0xc3

#define ATA_FLOATING_BUS 0xff  /* no device drives the bus: reads all ones */
#define ATA_FLUSH_MS     30000 /* a flush may write out a large cache */
#define ATA_RESET_MS     2     /* SRST high, then wait before polling */
#define ATA_SPINS        1000  /* polls before yielding */

/* The legacy ISA ports every PC chipset (and QEMU's PIIX) decodes. */
struct ata_channel ata_channels[2] = {
    {.base = 0x1f0,
     .ctrl = 0x3f6,
     .name = "primary",
     .lock = MUTEX_INIT("ata0")},
    {.base = 0x170,
     .ctrl = 0x376,
     .name = "secondary",
     .lock = MUTEX_INIT("ata1")},
};

struct ata_stats ata_counters; /* changed with interrupts off */

/* False after ata_set_dma(false): every command by PIO. */
static bool dma_allowed = true;

/* Filled once by ata_init(). */
static struct {
    struct ata_disk disks[ATA_MAX_DISKS];
    int count;
} ata;

/* `rep insw`/`rep outsw`: one sector's words through the data port. */
static void pio_read_words(uint16_t port, uint16_t *dst, size_t words)
{
    __asm__ volatile("rep insw"
                     : "+D"(dst), "+c"(words)
                     : "d"(port)
                     : "memory");
}

static void pio_write_words(uint16_t port, const uint16_t *src, size_t words)
{
    __asm__ volatile("rep outsw"
                     : "+S"(src), "+c"(words)
                     : "d"(port)
                     : "memory");
}

void ata_count(uint64_t *counter, uint64_t n)
{
    uint64_t flags = irq_save();
    *counter += n;
    irq_restore(flags);
}

void ata_delay_400ns(struct ata_channel *ch)
{
    for (int i = 0; i < 4; i++)
        inb(ch->ctrl + ATA_REG_CONTROL);
}

uint8_t ata_status(struct ata_channel *ch)
{
    return inb(ch->base + ATA_REG_STATUS);
}

/*
 * Polls until BSY clears; returns the status then, or -EIO when the bus
 * floats or timeout_ms passes. Spins first (QEMU answers at once), then
 * yields between polls so a slow drive costs other tasks nothing.
 */
static int wait_not_busy(struct ata_channel *ch, uint64_t timeout_ms)
{
    uint64_t deadline = 0;
    for (unsigned spin = 0;; spin++) {
        uint8_t s = ata_status(ch);
        if (s == ATA_FLOATING_BUS)
            return -EIO;
        if (!(s & ATA_SR_BSY))
            return s;
        if (spin == ATA_SPINS)
            deadline = timer_uptime_ms() + timeout_ms;
        if (spin > ATA_SPINS) {
            if (timer_uptime_ms() > deadline)
                return -EIO;
            sched_yield();
        }
    }
}

/* Waits for the device to offer (or take) one sector: DRQ without errors. */
static int wait_data(struct ata_channel *ch)
{
    int s = wait_not_busy(ch, ATA_TIMEOUT_MS);
    if (s < 0)
        return s;
    if (s & (ATA_SR_ERR | ATA_SR_DF))
        return -EIO;
    return (s & ATA_SR_DRQ) ? 0 : -EIO; /* ended the command early */
}

/*
 * Software reset: both devices of the channel drop whatever command they
 * were in. Afterwards the master is selected; every command selects its own
 * device first, so that does not matter.
 */
static void reset_channel(struct ata_channel *ch)
{
    outb(ch->ctrl + ATA_REG_CONTROL, ATA_CTL_NIEN | ATA_CTL_SRST);
    ata_delay_400ns(ch); /* SRST must stay high for 5 us: 13 reads are enough */
    ata_delay_400ns(ch);
    ata_delay_400ns(ch);
    outb(ch->ctrl + ATA_REG_CONTROL, ATA_CTL_NIEN);
    sched_sleep_ms(ATA_RESET_MS);
    wait_not_busy(ch, ATA_TIMEOUT_MS);
    ata_count(&ata_counters.resets, 1);
}

int ata_fail(struct ata_disk *d, const char *what, uint64_t lba)
{
    struct ata_channel *ch = d->ch;
    uint8_t s = ata_status(ch);
    uint8_t e = inb(ch->base + ATA_REG_ERROR);

    ata_count(&ata_counters.errors, 1);
    klog(LOG_ERR,
         "ata: %s %s: %s at lba %lu failed (status 0x%02x, error "
         "0x%02x)",
         ch->name, d->info.slave ? "slave" : "master", what, (unsigned long)lba,
         s, e);
    reset_channel(ch);
    return -EIO;
}

static uint8_t device_bits(const struct ata_disk *d)
{
    return ATA_DEV_OBS | ATA_DEV_LBA | (d->info.slave ? ATA_DEV_SLAVE : 0);
}

/* Selects the disk and waits until it can take a command. */
static int select_disk(struct ata_disk *d, uint8_t dev)
{
    outb(d->ch->base + ATA_REG_DEVICE, dev);
    ata_delay_400ns(d->ch);
    int s = wait_not_busy(d->ch, ATA_TIMEOUT_MS);
    return s < 0 ? s : 0;
}

/* Writes the count and address registers; n == max is written as 0. */
static void set_lba(struct ata_channel *ch, uint64_t lba, uint32_t n, bool ext)
{
    uint16_t base = ch->base;

    if (ext) {
        /* The "previous" halves first: each register is a 2-deep FIFO. */
        outb(base + ATA_REG_COUNT, (uint8_t)(n >> 8));
        outb(base + ATA_REG_LBA0, (uint8_t)(lba >> 24));
        outb(base + ATA_REG_LBA1, (uint8_t)(lba >> 32));
        outb(base + ATA_REG_LBA2, (uint8_t)(lba >> 40));
    }
    outb(base + ATA_REG_COUNT, (uint8_t)n);
    outb(base + ATA_REG_LBA0, (uint8_t)lba);
    outb(base + ATA_REG_LBA1, (uint8_t)(lba >> 8));
    outb(base + ATA_REG_LBA2, (uint8_t)(lba >> 16));
}

bool ata_needs_ext(const struct ata_disk *d, uint64_t lba, uint32_t n)
{
    return d->info.lba48 && (lba + n > LBA28_LIMIT || n > LBA28_MAX_COUNT);
}

int ata_setup(struct ata_disk *d, uint64_t lba, uint32_t n, bool ext)
{
    uint8_t dev = device_bits(d);
    if (!ext)
        dev |= (uint8_t)((lba >> 24) & 0x0f); /* LBA28's top nibble */
    if (select_disk(d, dev) < 0)
        return -EIO;
    set_lba(d->ch, lba, n, ext);
    return 0;
}

/*
 * One PIO command of at most the command's sector limit: dst for a read,
 * src for a write (the other is NULL). The channel's mutex is held.
 */
static int pio_transfer(struct ata_disk *d, uint64_t lba, uint32_t n, void *dst,
                        const void *src)
{
    struct ata_channel *ch = d->ch;
    bool ext = ata_needs_ext(d, lba, n);
    bool write = src != NULL;
    const size_t words = ATA_SECTOR_BYTES / 2;

    if (ata_setup(d, lba, n, ext) < 0)
        return ata_fail(d, "select", lba);
    outb(ch->base + ATA_REG_COMMAND,
         write ? (ext ? ATA_CMD_WRITE_EXT : ATA_CMD_WRITE)
               : (ext ? ATA_CMD_READ_EXT : ATA_CMD_READ));
    for (uint32_t s = 0; s < n; s++) {
        ata_delay_400ns(ch);
        if (wait_data(ch) < 0)
            return ata_fail(d, write ? "write" : "read", lba + s);
        if (write)
            pio_write_words(ch->base + ATA_REG_DATA,
                            (const uint16_t *)src + s * words, words);
        else
            pio_read_words(ch->base + ATA_REG_DATA, (uint16_t *)dst + s * words,
                           words);
    }
    /* The last sector's status: a write is done only when BSY clears. */
    ata_delay_400ns(ch);
    int st = wait_not_busy(ch, ATA_TIMEOUT_MS);
    if (st < 0 || (st & (ATA_SR_ERR | ATA_SR_DF)))
        return ata_fail(d, write ? "write completion" : "read completion", lba);
    ata_count(&ata_counters.pio_cmds, 1);
    return 0;
}

/*
 * One command, by DMA when the channel and the buffer allow it, else by
 * PIO. A DMA failure turns the channel's DMA off (one log line) and the
 * command is redone by PIO, whose own failure is the caller's -EIO.
 */
static int transfer(struct ata_disk *d, uint64_t lba, uint32_t n, void *dst,
                    const void *src)
{
    struct ata_channel *ch = d->ch;
    bool write = src != NULL;
    int err = -ENODEV;

    if (ch->bm && !ch->dma_off && dma_allowed) {
        err = ata_dma_transfer(d, lba, n, write ? (void *)src : dst, write);
        if (err == -EIO) {
            ch->dma_off = true;
            ata_count(&ata_counters.dma_failures, 1);
            klog(LOG_WARN, "ata: %s channel: DMA failed; PIO from now on",
                 ch->name);
        }
    }
    if (err < 0)
        err = pio_transfer(d, lba, n, dst, src);
    if (err == 0 && write) {
        ata_count(&ata_counters.write_cmds, 1);
        ata_count(&ata_counters.sectors_written, n);
    } else if (err == 0) {
        ata_count(&ata_counters.read_cmds, 1);
        ata_count(&ata_counters.sectors_read, n);
    }
    return err;
}

/* Splits a request into commands the drive accepts, under the lock. */
static int rw(struct blockdev *bd, uint64_t lba, uint32_t n, void *dst,
              const void *src)
{
    struct ata_disk *d = bd->priv;
    uint32_t max = d->info.lba48 ? LBA48_MAX_COUNT : LBA28_MAX_COUNT;
    size_t done = 0;
    int err = 0;

    mutex_lock(&d->ch->lock);
    if (d->ch->bm && !d->ch->dma_off && dma_allowed &&
        ata_dma_max_sectors(d) < max)
        max = ata_dma_max_sectors(d);
    while (n > 0 && err == 0) {
        uint32_t chunk = n < max ? n : max;
        size_t off = done * ATA_SECTOR_BYTES;
        err = transfer(d, lba, chunk, dst ? (uint8_t *)dst + off : NULL,
                       src ? (const uint8_t *)src + off : NULL);
        lba += chunk;
        n -= chunk;
        done += chunk;
    }
    mutex_unlock(&d->ch->lock);
    return err;
}

static int ata_read(struct blockdev *bd, uint64_t lba, uint32_t n, void *buf)
{
    return rw(bd, lba, n, buf, NULL);
}

static int ata_write(struct blockdev *bd, uint64_t lba, uint32_t n,
                     const void *buf)
{
    return rw(bd, lba, n, NULL, buf);
}

static int ata_flush(struct blockdev *bd)
{
    struct ata_disk *d = bd->priv;
    struct ata_channel *ch = d->ch;
    int err = 0;

    mutex_lock(&ch->lock);
    if (select_disk(d, device_bits(d)) < 0) {
        err = ata_fail(d, "select for cache flush", 0);
        goto out;
    }
    outb(ch->base + ATA_REG_COMMAND,
         d->info.lba48 ? ATA_CMD_FLUSH_EXT : ATA_CMD_FLUSH);
    ata_delay_400ns(ch);
    int st = wait_not_busy(ch, ATA_FLUSH_MS);
    if (st < 0 || (st & (ATA_SR_ERR | ATA_SR_DF)))
        err = ata_fail(d, "cache flush", 0);
    else
        ata_count(&ata_counters.flush_cmds, 1);
out:
    mutex_unlock(&ch->lock);
    return err;
}

static void copy_model(char *out, const uint16_t *id)
{
    for (int i = 0; i < ATA_ID_MODEL_WORDS; i++) {
        out[2 * i] = (char)(id[ATA_ID_MODEL + i] >> 8);
        out[2 * i + 1] = (char)(id[ATA_ID_MODEL + i] & 0xff);
    }
    out[ATA_MODEL_BUF - 1] = '\0';
    for (int i = ATA_MODEL_BUF - 2; i >= 0 && out[i] == ' '; i--)
        out[i] = '\0';
}

static bool is_packet_device(uint8_t lo, uint8_t hi)
{
    return (lo == ATA_SIG_ATAPI_LO && hi == ATA_SIG_ATAPI_HI) ||
           (lo == ATA_SIG_SATAPI_LO && hi == ATA_SIG_SATAPI_HI) ||
           (lo == ATA_SIG_SATA_LO && hi == ATA_SIG_SATA_HI);
}

/*
 * Sends IDENTIFY to one position and reads its 256 words. Returns 0,
 * -ENODEV when nothing is there or it is a packet (ATAPI) device, which is
 * not ours to drive, or -EIO when a device is there but does not answer.
 */
static int identify(struct ata_channel *ch, bool slave, uint16_t *id)
{
    outb(ch->base + ATA_REG_DEVICE, ATA_DEV_OBS | (slave ? ATA_DEV_SLAVE : 0));
    ata_delay_400ns(ch);
    set_lba(ch, 0, 0, false);
    outb(ch->base + ATA_REG_COMMAND, ATA_CMD_IDENTIFY);
    ata_delay_400ns(ch);
    uint8_t s = ata_status(ch);
    if (s == 0 || s == ATA_FLOATING_BUS)
        return -ENODEV; /* no device at this position */
    int st = wait_not_busy(ch, ATA_TIMEOUT_MS);
    if (st < 0)
        return -EIO;
    /* A packet device aborts IDENTIFY and leaves its signature. */
    uint8_t lo = inb(ch->base + ATA_REG_LBA1);
    uint8_t hi = inb(ch->base + ATA_REG_LBA2);
    if (is_packet_device(lo, hi))
        return -ENODEV;
    if (lo || hi || (st & (ATA_SR_ERR | ATA_SR_DF)) || !(st & ATA_SR_DRQ))
        return -EIO;
    pio_read_words(ch->base + ATA_REG_DATA, id, ATA_ID_WORDS);
    return 0;
}

/* IDENTIFY one position; adds a disk on success. Boot, in a task. */
static void probe(unsigned chn, bool slave)
{
    struct ata_channel *ch = &ata_channels[chn];
    const char *pos = slave ? "slave" : "master";
    uint16_t id[ATA_ID_WORDS];

    int err = identify(ch, slave, id);
    if (err == -ENODEV)
        return;
    if (err < 0) {
        klog(LOG_WARN, "ata: %s %s does not answer IDENTIFY", ch->name, pos);
        reset_channel(ch);
        return;
    }
    if (ata.count == ATA_MAX_DISKS)
        return;
    struct ata_disk *d = &ata.disks[ata.count];
    d->ch = ch;
    d->info.channel = chn;
    d->info.slave = slave;
    copy_model(d->info.model, id);
    d->info.lba48 = id[ATA_ID_CMDSET2] & ATA_ID_CMDSET2_LBA48;
    uint64_t sectors = 0;
    if (d->info.lba48)
        memcpy(&sectors, &id[ATA_ID_LBA48_SECTORS], sizeof sectors);
    if (sectors == 0) {
        d->info.lba48 = false;
        sectors = id[ATA_ID_LBA28_SECTORS] |
                  (uint64_t)id[ATA_ID_LBA28_SECTORS + 1] << 16;
    }
    if (sectors == 0) {
        klog(LOG_WARN, "ata: %s %s reports no sectors", ch->name, pos);
        return;
    }
    d->info.sectors = sectors;
    d->bd = (struct blockdev){
        .sector_size = ATA_SECTOR_BYTES,
        .sectors = sectors,
        .read = ata_read,
        .write = ata_write,
        .flush = ata_flush,
        .priv = d,
    };
    ata.count++;
    klog(LOG_INFO, "ata: %s %s: \"%s\", %lu MiB, %s", ch->name, pos,
         d->info.model, (unsigned long)(sectors >> 11),
         d->info.lba48 ? "LBA48" : "LBA28");
}

int ata_init(void)
{
    ata_dma_init();
    for (unsigned c = 0; c < 2; c++) {
        struct ata_channel *ch = &ata_channels[c];
        if (ata_status(ch) == ATA_FLOATING_BUS)
            continue; /* no controller answers at these ports */
        outb(ch->ctrl + ATA_REG_CONTROL, ATA_CTL_NIEN);
        mutex_lock(&ch->lock);
        probe(c, false);
        probe(c, true);
        mutex_unlock(&ch->lock);
    }
    if (ata.count == 0)
        klog(LOG_WARN, "ata: no ATA disk found");
    return ata.count;
}

struct blockdev *ata_disk(int i)
{
    return i >= 0 && i < ata.count ? &ata.disks[i].bd : NULL;
}

const struct ata_disk_info *ata_disk_info(int i)
{
    return i >= 0 && i < ata.count ? &ata.disks[i].info : NULL;
}

void ata_set_dma(bool on)
{
    /* Under both channels' locks, so no command is half way through. */
    mutex_lock(&ata_channels[0].lock);
    mutex_lock(&ata_channels[1].lock);
    dma_allowed = on;
    mutex_unlock(&ata_channels[1].lock);
    mutex_unlock(&ata_channels[0].lock);
}

void ata_get_stats(struct ata_stats *out)
{
    uint64_t flags = irq_save();
    *out = ata_counters;
    irq_restore(flags);
}
