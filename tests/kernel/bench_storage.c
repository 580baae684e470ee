/*
 * Benchmarks of the storage stack: a 16 MiB file written and read through
 * FAT32, and raw sector reads from the ATA disk, in MB/s (10^6 bytes).
 *
 * Each figure covers the whole path a program's read or write will take
 * below the file layer: the volume mutex, FAT32's cluster runs, the sector
 * cache for the partial ends, and ATA PIO (one `rep insw` per sector, each
 * word a port access QEMU emulates). The write figure includes the close,
 * which syncs. Pieces are BENCH_PIECE_BYTES, as a buffered reader's would
 * be; raw reads use the largest LBA28-sized command, 256 sectors.
 *
 * Context: the boot task.
 * See: tests/kernel/README.md, docs/storage.md
 */
#include "kbench.h"

#include "arch/x86_64/cpu.h"
#include "arch/x86_64/tsc.h"
#include "drivers/ata.h"
#include "fs/blockdev.h"
#include "fs/fat32.h"
#include "fs/storage.h"
#include "lib/portable.h"

#define BENCH_FILE_BYTES       (16u << 20)
#define BENCH_PIECE_BYTES      (256u << 10)
#define BENCH_RAW_SECTORS      256
#define BENCH_RAW_LBA          2048 /* the partition: data QEMU really stores */
#define BENCH_PATH             "/bench16m.bin"
#define BENCH_ONE_SECTOR_READS 2000
#define NS_PER_MS_X_1000       1000 /* bytes * 1000 / ns = MB/s */

static void report_mbs(const char *name, uint64_t bytes, uint64_t cycles)
{
    kbench_report(name, bytes * NS_PER_MS_X_1000, tsc_cycles_to_ns(cycles),
                  "MB/s");
}

/* Runs one pass over the file; returns the TSC cycles, or 0 on an error. */
static uint64_t file_pass(bool write, uint8_t *buf)
{
    struct fat_file *f;
    int flags = write ? FAT_O_WRONLY | FAT_O_CREAT | FAT_O_TRUNC : FAT_O_RDONLY;
    uint64_t t0 = rdtsc();
    storage_lock();
    int err = fat_open(storage_volume(), BENCH_PATH, flags, &f);
    storage_unlock();
    if (err < 0)
        return 0;
    for (uint32_t done = 0; done < BENCH_FILE_BYTES && err == 0;
         done += BENCH_PIECE_BYTES) {
        storage_lock();
        int64_t n = write ? fat_write(f, buf, BENCH_PIECE_BYTES)
                          : fat_read(f, buf, BENCH_PIECE_BYTES);
        if (write)
            storage_mark_dirty();
        storage_unlock();
        if (n != BENCH_PIECE_BYTES)
            err = -1;
    }
    storage_lock();
    fat_close(f);
    storage_unlock();
    return err == 0 ? rdtsc() - t0 : 0;
}

/* One benchmark for both directions: the read needs the written file. */
KBENCH(storage_fat_seq_16m)
{
    uint8_t *buf = kmalloc(BENCH_PIECE_BYTES);
    if (buf == NULL || storage_volume() == NULL) {
        kfree(buf);
        return;
    }
    memset(buf, 0x5a, BENCH_PIECE_BYTES);
    uint64_t cycles = file_pass(true, buf);
    if (cycles)
        report_mbs("storage_fat_seq_write_16m", BENCH_FILE_BYTES, cycles);
    cycles = file_pass(false, buf);
    if (cycles)
        report_mbs("storage_fat_seq_read_16m", BENCH_FILE_BYTES, cycles);
    storage_lock();
    fat_unlink(storage_volume(), BENCH_PATH);
    storage_mark_dirty();
    storage_unlock();
    kfree(buf);
}

KBENCH(storage_raw_sector_read)
{
    struct blockdev *bd = ata_disk(0);
    uint32_t chunk = BENCH_RAW_SECTORS * ATA_SECTOR_BYTES;
    uint8_t *buf = kmalloc(chunk);
    if (buf == NULL || bd == NULL) {
        kfree(buf);
        return;
    }
    uint64_t t0 = rdtsc();
    uint64_t lba = BENCH_RAW_LBA;
    for (uint32_t done = 0; done < BENCH_FILE_BYTES; done += chunk) {
        if (blockdev_read(bd, lba, BENCH_RAW_SECTORS, buf) < 0)
            break;
        lba += BENCH_RAW_SECTORS;
    }
    report_mbs("storage_raw_sector_read", BENCH_FILE_BYTES, rdtsc() - t0);
    kfree(buf);
}

/*
 * One-sector reads: the cost of a command itself (with DMA: the setup, the
 * interrupt and the wake-up of the sleeping task), which is what small
 * reads through the sector cache pay.
 */
KBENCH(storage_one_sector_read)
{
    struct blockdev *bd = ata_disk(0);
    uint8_t *buf = kmalloc(ATA_SECTOR_BYTES);
    if (buf == NULL || bd == NULL) {
        kfree(buf);
        return;
    }
    uint64_t t0 = rdtsc();
    for (uint32_t i = 0; i < BENCH_ONE_SECTOR_READS; i++)
        if (blockdev_read(bd, BENCH_RAW_LBA + i, 1, buf) < 0)
            break;
    kbench_report_ns_per_op("storage_one_sector_read", rdtsc() - t0,
                            BENCH_ONE_SECTOR_READS);
    kfree(buf);
}
