/*
 * ATA PIO driver: IDENTIFY, READ/WRITE SECTORS (EXT), CACHE FLUSH.
 *
 * Programmed I/O: the CPU moves every 16-bit word through the data port.
 * It is slow on real hardware but simple, and under QEMU the data is ready
 * at once. Device interrupts are switched off (nIEN) and the driver polls
 * the status register; a poll that is not answered at once yields the CPU
 * to other tasks while it waits, and gives up after ATA_TIMEOUT_MS. Every
 * failure (an error bit, a timeout, a device that ends a command without
 * data) returns -EIO with one log line and resets the channel, so a
 * missing, dead or confused drive never hangs the kernel and the next
 * command starts from a known state.
 *
 * A transfer of n sectors is one command when it fits (256 sectors for
 * LBA28, 65,536 for LBA48), so a run of contiguous clusters costs one
 * command, not one per sector. LBA48 is used only when the drive has it and
 * the request needs it (beyond 2^28 sectors, or more than 256 sectors).
 *
 * Data moves 16 bits at a time, as the standard defines the data port;
 * 32-bit PIO (`rep insl`) measured no faster under QEMU (raw reads 8.5-9.4
 * MB/s either way, `make bench`), so the plain width stays.
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
#include "drivers/timer.h"
#include "lib/portable.h"
#include "sched/mutex.h"
#include "sched/sched.h"

/* Registers, as offsets from the channel's command block. */
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
#define ATA_CTL_NIEN 0x02 /* no interrupts from the device */
#define ATA_CTL_SRST 0x04 /* software reset of both devices on the channel */

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

#define ATA_FLOATING_BUS 0xff /* no device drives the bus: reads all ones */
#define ATA_TIMEOUT_MS   5000
#define ATA_FLUSH_MS     30000 /* a flush may write out a large cache */
#define ATA_RESET_MS     2     /* SRST high, then wait before polling */
#define ATA_SPINS        1000  /* polls before yielding */
#define LBA28_MAX_COUNT  256
#define LBA48_MAX_COUNT  65536
#define LBA28_LIMIT      (1ull << 28)

struct channel {
    uint16_t base; /* command block ports */
    uint16_t ctrl; /* control block port */
    const char *name;
    struct mutex lock; /* held for a whole command */
};

struct disk {
    struct blockdev bd;
    struct ata_disk_info info;
    struct channel *ch;
};

/* The legacy ISA ports every PC chipset (and QEMU's PIIX) decodes. */
static struct channel channels[2] = {
    {0x1f0, 0x3f6, "primary", MUTEX_INIT("ata0")},
    {0x170, 0x376, "secondary", MUTEX_INIT("ata1")},
};

/* Filled once by ata_init(); the counters change with interrupts off. */
static struct {
    struct disk disks[ATA_MAX_DISKS];
    int count;
    struct ata_stats stats;
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

static void count(uint64_t *counter, uint64_t n)
{
    uint64_t flags = irq_save();
    *counter += n;
    irq_restore(flags);
}

/* Four reads of the alternate status take the 400 ns a device needs. */
static void delay_400ns(struct channel *ch)
{
    for (int i = 0; i < 4; i++)
        inb(ch->ctrl + ATA_REG_CONTROL);
}

static uint8_t status(struct channel *ch)
{
    return inb(ch->base + ATA_REG_STATUS);
}

/*
 * Polls until BSY clears; returns the status then, or -EIO when the bus
 * floats or timeout_ms passes. Spins first (QEMU answers at once), then
 * yields between polls so a slow drive costs other tasks nothing.
 */
static int wait_not_busy(struct channel *ch, uint64_t timeout_ms)
{
    uint64_t deadline = 0;
    for (unsigned spin = 0;; spin++) {
        uint8_t s = status(ch);
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
static int wait_data(struct channel *ch)
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
static void reset_channel(struct channel *ch)
{
    outb(ch->ctrl + ATA_REG_CONTROL, ATA_CTL_NIEN | ATA_CTL_SRST);
    delay_400ns(ch); /* SRST must stay high for 5 us: 13 reads are enough */
    delay_400ns(ch);
    delay_400ns(ch);
    outb(ch->ctrl + ATA_REG_CONTROL, ATA_CTL_NIEN);
    sched_sleep_ms(ATA_RESET_MS);
    wait_not_busy(ch, ATA_TIMEOUT_MS);
    count(&ata.stats.resets, 1);
}

static int fail(struct disk *d, const char *what, uint64_t lba)
{
    struct channel *ch = d->ch;
    uint8_t s = status(ch);
    uint8_t e = inb(ch->base + ATA_REG_ERROR);

    count(&ata.stats.errors, 1);
    klog(LOG_ERR,
         "ata: %s %s: %s at lba %lu failed (status 0x%02x, error "
         "0x%02x)",
         ch->name, d->info.slave ? "slave" : "master", what, (unsigned long)lba,
         s, e);
    reset_channel(ch);
    return -EIO;
}

static uint8_t device_bits(const struct disk *d)
{
    return ATA_DEV_OBS | ATA_DEV_LBA | (d->info.slave ? ATA_DEV_SLAVE : 0);
}

/* Selects the disk and waits until it can take a command. */
static int select_disk(struct disk *d, uint8_t dev)
{
    outb(d->ch->base + ATA_REG_DEVICE, dev);
    delay_400ns(d->ch);
    int s = wait_not_busy(d->ch, ATA_TIMEOUT_MS);
    return s < 0 ? s : 0;
}

/* Writes the count and address registers; n == max is written as 0. */
static void set_lba(struct channel *ch, uint64_t lba, uint32_t n, bool ext)
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

/*
 * One command of at most the command's sector limit: dst for a read, src
 * for a write (the other is NULL). The channel's mutex is held.
 */
static int transfer(struct disk *d, uint64_t lba, uint32_t n, void *dst,
                    const void *src)
{
    struct channel *ch = d->ch;
    bool ext = d->info.lba48 && (lba + n > LBA28_LIMIT || n > LBA28_MAX_COUNT);
    bool write = src != NULL;
    uint8_t dev = device_bits(d);
    const size_t words = ATA_SECTOR_BYTES / 2;

    if (!ext)
        dev |= (uint8_t)((lba >> 24) & 0x0f); /* LBA28's top nibble */
    if (select_disk(d, dev) < 0)
        return fail(d, "select", lba);
    set_lba(ch, lba, n, ext);
    outb(ch->base + ATA_REG_COMMAND,
         write ? (ext ? ATA_CMD_WRITE_EXT : ATA_CMD_WRITE)
               : (ext ? ATA_CMD_READ_EXT : ATA_CMD_READ));
    for (uint32_t s = 0; s < n; s++) {
        delay_400ns(ch);
        if (wait_data(ch) < 0)
            return fail(d, write ? "write" : "read", lba + s);
        if (write)
            pio_write_words(ch->base + ATA_REG_DATA,
                            (const uint16_t *)src + s * words, words);
        else
            pio_read_words(ch->base + ATA_REG_DATA, (uint16_t *)dst + s * words,
                           words);
    }
    /* The last sector's status: a write is done only when BSY clears. */
    delay_400ns(ch);
    int st = wait_not_busy(ch, ATA_TIMEOUT_MS);
    if (st < 0 || (st & (ATA_SR_ERR | ATA_SR_DF)))
        return fail(d, write ? "write completion" : "read completion", lba);
    if (write) {
        count(&ata.stats.write_cmds, 1);
        count(&ata.stats.sectors_written, n);
    } else {
        count(&ata.stats.read_cmds, 1);
        count(&ata.stats.sectors_read, n);
    }
    return 0;
}

/* Splits a request into commands the drive accepts, under the lock. */
static int rw(struct blockdev *bd, uint64_t lba, uint32_t n, void *dst,
              const void *src)
{
    struct disk *d = bd->priv;
    uint32_t max = d->info.lba48 ? LBA48_MAX_COUNT : LBA28_MAX_COUNT;
    size_t done = 0;
    int err = 0;

    mutex_lock(&d->ch->lock);
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
    struct disk *d = bd->priv;
    struct channel *ch = d->ch;
    int err = 0;

    mutex_lock(&ch->lock);
    if (select_disk(d, device_bits(d)) < 0) {
        err = fail(d, "select for cache flush", 0);
        goto out;
    }
    outb(ch->base + ATA_REG_COMMAND,
         d->info.lba48 ? ATA_CMD_FLUSH_EXT : ATA_CMD_FLUSH);
    delay_400ns(ch);
    int st = wait_not_busy(ch, ATA_FLUSH_MS);
    if (st < 0 || (st & (ATA_SR_ERR | ATA_SR_DF)))
        err = fail(d, "cache flush", 0);
    else
        count(&ata.stats.flush_cmds, 1);
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
static int identify(struct channel *ch, bool slave, uint16_t *id)
{
    outb(ch->base + ATA_REG_DEVICE, ATA_DEV_OBS | (slave ? ATA_DEV_SLAVE : 0));
    delay_400ns(ch);
    set_lba(ch, 0, 0, false);
    outb(ch->base + ATA_REG_COMMAND, ATA_CMD_IDENTIFY);
    delay_400ns(ch);
    uint8_t s = status(ch);
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
    struct channel *ch = &channels[chn];
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
    struct disk *d = &ata.disks[ata.count];
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
    for (unsigned c = 0; c < 2; c++) {
        struct channel *ch = &channels[c];
        if (status(ch) == ATA_FLOATING_BUS)
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

void ata_get_stats(struct ata_stats *out)
{
    uint64_t flags = irq_save();
    *out = ata.stats;
    irq_restore(flags);
}
