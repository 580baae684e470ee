/*
 * Self-tests of the storage stack in the kernel: the ATA driver on QEMU's
 * disk, the root volume mounted at boot, the flusher, and the scenarios the
 * system tests (tests/system/test_storage.py) check from the host.
 *
 * The automatic tests leave the FAT32 volume as they found it (their files
 * are removed again) and write raw sectors only in the gap between the MBR
 * and the partition (sectors 1-2047, unused by tools/mkdisk.sh's layout).
 * The manual ones end the machine: they write what the host then checks
 * with mtools and fsck.fat, and power off.
 *
 * Context: the boot task, interrupts on.
 * See: tests/kernel/README.md, docs/storage.md
 */
#include "ktest.h"

#include <ember/errno.h>

#include "arch/x86_64/irq.h"
#include "drivers/acpi.h"
#include "drivers/ata.h"
#include "drivers/debugexit.h"
#include "fs/blockdev.h"
#include "fs/fat32.h"
#include "fs/storage.h"
#include "lib/cmdline.h"
#include "lib/format.h"
#include "lib/kprintf.h"
#include "lib/portable.h"
#include "mm/kheap.h"
#include "proc/shutdown.h"
#include "sched/sched.h"

#define GAP_LBA         64 /* scratch sectors between the MBR and 2048 */
#define GAP_SECTORS     300
#define PART_START_LBA  2048 /* tools/mkdisk.sh */
#define MBR_TYPE_OFFSET (446 + 4)
#define FAT32_LBA_TYPE  0x0c
#define BIG_FILE_BYTES  (1u << 20)
#define CLUSTER_BYTES   4096
#define FLUSH_WAIT_MS   (3 * STORAGE_FLUSH_MS)
#define ECHO_BYTES_MAX  4096
#define DMA_SECTORS     1900 /* 950 KiB of the gap: many 64 KiB windows */
#define ODD_OFFSET      1    /* a buffer DMA cannot take: PIO moves it */

/* ---- helpers: each fat_* call under the volume's mutex ---- */

static int open_locked(const char *path, int flags, struct fat_file **f)
{
    storage_lock();
    int err = fat_open(storage_volume(), path, flags, f);
    if (err == 0 && (flags & FAT_O_ACCMODE) != FAT_O_RDONLY)
        storage_mark_dirty();
    storage_unlock();
    return err;
}

static int64_t write_locked(struct fat_file *f, const void *buf, size_t n)
{
    storage_lock();
    int64_t got = fat_write(f, buf, n);
    storage_mark_dirty();
    storage_unlock();
    return got;
}

static int64_t read_locked(struct fat_file *f, void *buf, size_t n)
{
    storage_lock();
    int64_t got = fat_read(f, buf, n);
    storage_unlock();
    return got;
}

static int close_locked(struct fat_file *f)
{
    storage_lock();
    int err = fat_close(f);
    storage_unlock();
    return err;
}

static void fill_pattern(uint8_t *buf, size_t n, uint32_t seed)
{
    for (size_t i = 0; i < n; i++)
        buf[i] = (uint8_t)((i * 31 + seed) ^ (i >> 9));
}

/*
 * Syncs the volume first, so the flusher has nothing to write while a test
 * counts the driver's commands (the counters are the whole driver's).
 */
static void quiesce(void)
{
    if (storage_volume())
        storage_sync();
}

/* Writes n bytes of pattern `seed` to path (created or emptied). */
static int write_file(const char *path, size_t n, uint32_t seed)
{
    struct fat_file *f;
    uint8_t *buf = kmalloc(n ? n : 1);
    if (buf == NULL)
        return -ENOMEM;
    fill_pattern(buf, n, seed);
    int err = open_locked(path, FAT_O_WRONLY | FAT_O_CREAT | FAT_O_TRUNC, &f);
    if (err == 0) {
        int64_t got = write_locked(f, buf, n);
        err = close_locked(f);
        if (got != (int64_t)n)
            err = got < 0 ? (int)got : -EIO;
    }
    kfree(buf);
    return err;
}

/* True if path holds exactly n bytes of pattern `seed`. */
static bool file_matches(const char *path, size_t n, uint32_t seed)
{
    struct fat_file *f;
    uint8_t *want = kmalloc(n + 1), *got = kmalloc(n + 1);
    bool ok = false;

    if (want && got && open_locked(path, FAT_O_RDONLY, &f) == 0) {
        fill_pattern(want, n, seed);
        int64_t len = read_locked(f, got, n + 1);
        ok = len == (int64_t)n && memcmp(want, got, n) == 0;
        close_locked(f);
    }
    kfree(want);
    kfree(got);
    return ok;
}

/* ---- the ATA driver ---- */

/* QEMU's disk is found on the primary master, with its real size. */
KTEST(storage_ata_finds_the_disk)
{
    const struct ata_disk_info *info = ata_disk_info(0);
    KTEST_CHECK(info != NULL);
    if (!info)
        return;
    KTEST_CHECK(info->channel == 0 && !info->slave);
    KTEST_CHECK(info->sectors == 512ull * 2048); /* DISK_SIZE_MIB */
    KTEST_CHECK(ata_disk(1) == NULL);            /* the CD-ROM is skipped */
    KTEST_CHECK(strncmp(info->model, "QEMU HARDDISK", 13) == 0);
}

/* Sector 0 is the MBR tools/mkdisk.sh wrote: a FAT32 (LBA) partition. */
KTEST(storage_ata_reads_the_mbr)
{
    uint8_t sector[ATA_SECTOR_BYTES];
    struct blockdev *bd = ata_disk(0);
    KTEST_CHECK(bd && blockdev_read(bd, 0, 1, sector) == 0);
    if (!bd)
        return;
    KTEST_CHECK(sector[510] == 0x55 && sector[511] == 0xaa);
    KTEST_CHECK(sector[MBR_TYPE_OFFSET] == FAT32_LBA_TYPE);
}

/* 300 sectors written and read back; more than 256 is one LBA48 command. */
KTEST(storage_ata_writes_and_reads_back_in_one_command)
{
    struct blockdev *bd = ata_disk(0);
    size_t bytes = GAP_SECTORS * ATA_SECTOR_BYTES;
    uint8_t *out = kmalloc(bytes), *in = kmalloc(bytes);
    struct ata_stats before, after;

    KTEST_CHECK(bd && out && in);
    if (bd && out && in) {
        fill_pattern(out, bytes, 7);
        memset(in, 0, bytes);
        KTEST_CHECK(blockdev_write(bd, GAP_LBA, GAP_SECTORS, out) == 0);
        ata_get_stats(&before);
        KTEST_CHECK(blockdev_read(bd, GAP_LBA, GAP_SECTORS, in) == 0);
        ata_get_stats(&after);
        KTEST_CHECK(memcmp(out, in, bytes) == 0);
        KTEST_CHECK(after.read_cmds - before.read_cmds == 1);
        KTEST_CHECK(after.sectors_read - before.sectors_read == GAP_SECTORS);
        KTEST_CHECK(blockdev_flush(bd) == 0);
        ata_get_stats(&after);
        KTEST_CHECK(after.flush_cmds > before.flush_cmds);
        KTEST_CHECK(after.errors == 0);
    }
    kfree(out);
    kfree(in);
}

/*
 * With bus-master DMA on (the default), an aligned read is one DMA command
 * and no PIO, ended by one interrupt on the primary channel's line (the
 * task slept for it); with `nodma`, the same read is PIO with no
 * interrupt, and DMA is never used.
 */
KTEST(storage_ata_uses_dma_unless_told_not_to)
{
    struct blockdev *bd = ata_disk(0);
    uint8_t *buf = kmalloc(GAP_SECTORS * ATA_SECTOR_BYTES);
    struct ata_stats before, after;
    struct irq_stats irq0, irq1;
    bool nodma = cmdline_has("nodma");

    KTEST_CHECK(bd && buf);
    if (bd && buf) {
        quiesce();
        ata_get_stats(&before);
        irq_get_stats(&irq0);
        KTEST_CHECK(blockdev_read(bd, GAP_LBA, GAP_SECTORS, buf) == 0);
        irq_get_stats(&irq1);
        ata_get_stats(&after);
        KTEST_CHECK(irq1.handled[ATA_IRQ_PRIMARY] -
                        irq0.handled[ATA_IRQ_PRIMARY] ==
                    (nodma ? 0 : 1));
        KTEST_CHECK(after.dma_cmds - before.dma_cmds == (nodma ? 0 : 1));
        KTEST_CHECK(after.pio_cmds - before.pio_cmds == (nodma ? 1 : 0));
        KTEST_CHECK(after.dma_failures == 0 && after.errors == 0);
        if (nodma)
            KTEST_CHECK(after.dma_cmds == 0);
    }
    kfree(buf);
}

/*
 * Differential: what DMA writes, PIO reads back, and the other way round
 * (ata_set_dma() switches between them). 950 KiB of heap: scattered
 * frames, many 64 KiB lines, started 512 bytes into a page. Under `nodma`
 * both sides are PIO.
 */
KTEST(storage_ata_dma_and_pio_agree)
{
    struct blockdev *bd = ata_disk(0);
    size_t bytes = DMA_SECTORS * ATA_SECTOR_BYTES;
    uint8_t *a = kmalloc(bytes + ATA_SECTOR_BYTES), *b = kmalloc(bytes);
    struct ata_stats s0, s1, s2, s3;
    bool nodma = cmdline_has("nodma");

    KTEST_CHECK(bd && a && b);
    if (bd && a && b) {
        uint8_t *dma_buf = a + ATA_SECTOR_BYTES;
        fill_pattern(dma_buf, bytes, 21);
        quiesce();
        ata_get_stats(&s0);
        KTEST_CHECK(blockdev_write(bd, GAP_LBA, DMA_SECTORS, dma_buf) == 0);
        ata_get_stats(&s1);
        ata_set_dma(false);
        KTEST_CHECK(blockdev_read(bd, GAP_LBA, DMA_SECTORS, b) == 0);
        KTEST_CHECK(memcmp(dma_buf, b, bytes) == 0);
        fill_pattern(b, bytes, 22);
        KTEST_CHECK(blockdev_write(bd, GAP_LBA, DMA_SECTORS, b) == 0);
        ata_get_stats(&s2);
        ata_set_dma(true);
        memset(dma_buf, 0, bytes);
        KTEST_CHECK(blockdev_read(bd, GAP_LBA, DMA_SECTORS, dma_buf) == 0);
        ata_get_stats(&s3);
        KTEST_CHECK(memcmp(dma_buf, b, bytes) == 0);
        KTEST_CHECK(s1.dma_cmds - s0.dma_cmds == (nodma ? 0 : 1));
        KTEST_CHECK(s2.pio_cmds - s1.pio_cmds >= 2);
        KTEST_CHECK(s2.dma_cmds == s1.dma_cmds);
        KTEST_CHECK(s3.dma_cmds - s2.dma_cmds == (nodma ? 0 : 1));
        KTEST_CHECK(s3.errors == 0 && s3.dma_failures == 0);
    }
    kfree(a);
    kfree(b);
}

/*
 * A buffer at an odd address (a read at an odd file offset) cannot be
 * described to the controller: it goes by DMA through a bounce buffer,
 * not by PIO, and the bytes land where they should.
 */
KTEST(storage_ata_odd_buffer_is_bounced)
{
    struct blockdev *bd = ata_disk(0);
    size_t bytes = GAP_SECTORS * ATA_SECTOR_BYTES;
    uint8_t *a = kmalloc(bytes), *b = kmalloc(bytes + ODD_OFFSET);
    struct ata_stats s0, s1;
    bool nodma = cmdline_has("nodma");

    KTEST_CHECK(bd && a && b);
    if (bd && a && b) {
        uint8_t *odd = b + ODD_OFFSET;
        KTEST_CHECK(blockdev_read(bd, GAP_LBA, GAP_SECTORS, a) == 0);
        quiesce();
        ata_get_stats(&s0);
        KTEST_CHECK(blockdev_read(bd, GAP_LBA, GAP_SECTORS, odd) == 0);
        ata_get_stats(&s1);
        KTEST_CHECK(memcmp(a, odd, bytes) == 0);
        KTEST_CHECK(s1.dma_bounced - s0.dma_bounced == (nodma ? 0 : 1));
        KTEST_CHECK(s1.pio_cmds - s0.pio_cmds == (nodma ? 1 : 0));
    }
    kfree(a);
    kfree(b);
}

/* A range past the end never reaches the driver. */
KTEST(storage_ata_refuses_ranges_past_the_end)
{
    uint8_t sector[ATA_SECTOR_BYTES];
    struct blockdev *bd = ata_disk(0);
    if (!bd) {
        KTEST_CHECK(bd != NULL);
        return;
    }
    KTEST_CHECK(blockdev_read(bd, bd->sectors, 1, sector) == -EINVAL);
    KTEST_CHECK(blockdev_read(bd, bd->sectors - 1, 2, sector) == -EINVAL);
    KTEST_CHECK(blockdev_read(bd, 0, 0, sector) == -EINVAL);
    KTEST_CHECK(blockdev_read(bd, bd->sectors - 1, 1, sector) == 0);
}

/* ---- the root volume ---- */

/* Mounted at boot from the partition; README.TXT from the image reads. */
KTEST(storage_root_volume_mounted_and_readable)
{
    struct fat_stat st;
    KTEST_CHECK(storage_volume() != NULL);
    if (!storage_volume())
        return;
    storage_lock();
    int err = fat_stat(storage_volume(), "/README.TXT", &st);
    storage_unlock();
    KTEST_CHECK(err == 0 && !st.is_dir && st.size > 0);
}

/* Files of awkward sizes read back byte for byte; then they are removed. */
KTEST(storage_files_read_back_exactly)
{
    static const size_t sizes[] = {0,    1,    511,  512,   513,
                                   4095, 4096, 4097, 70000, BIG_FILE_BYTES};
    char path[32];

    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        ksnprintf(path, sizeof path, "/kt_size_%lu.bin", (unsigned long)i);
        KTEST_CHECK(write_file(path, sizes[i], (uint32_t)i) == 0);
        KTEST_CHECK(file_matches(path, sizes[i], (uint32_t)i));
        storage_lock();
        KTEST_CHECK(fat_unlink(storage_volume(), path) == 0);
        storage_mark_dirty();
        storage_unlock();
    }
}

/* A mkdir alone (no close, no sync) is written back by the flusher. */
KTEST(storage_flusher_writes_metadata_back)
{
    struct storage_stats before, after;
    storage_get_stats(&before);
    storage_lock();
    KTEST_CHECK(fat_mkdir(storage_volume(), "/kt_flushed") == 0);
    storage_mark_dirty();
    storage_unlock();
    sched_sleep_ms(FLUSH_WAIT_MS);
    storage_get_stats(&after);
    KTEST_CHECK(after.flusher_syncs > before.flusher_syncs);
    KTEST_CHECK(after.last_error == 0);
    storage_lock();
    KTEST_CHECK(fat_rmdir(storage_volume(), "/kt_flushed") == 0);
    storage_mark_dirty();
    storage_unlock();
    KTEST_CHECK(storage_sync() == 0);
}

/* The FADT and \_S5 of QEMU's pc machine were found. */
KTEST(storage_acpi_tables_found)
{
    const struct acpi_power *pw = acpi_power_info();
    KTEST_CHECK(pw->found);
    KTEST_CHECK(pw->pm1a_cnt != 0);
    KTEST_CHECK(pw->slp_typ_a == 0); /* QEMU's \_S5 is {0, 0, 0, 0} */
}

/* ---- scenarios for tests/system/test_storage.py (they end the machine) */

/* Prints /HOSTIN.TXT (put there by the host) between markers. */
static void echo_host_file(void)
{
    struct fat_file *f;
    char *buf = kmalloc(ECHO_BYTES_MAX);
    if (buf && open_locked("/hostin.txt", FAT_O_RDONLY, &f) == 0) {
        int64_t n = read_locked(f, buf, ECHO_BYTES_MAX - 1);
        close_locked(f);
        buf[n > 0 ? n : 0] = '\0';
        kprintf("storage: host file <<%s>>\n", buf);
    } else {
        kprintf("storage: host file missing\n");
    }
    kfree(buf);
}

/*
 * Reads the host's file, writes files of several sizes, a directory with a
 * file in it and a renamed file, then powers off (which syncs).
 */
KTEST_MANUAL(storage_host_roundtrip)
{
    echo_host_file();
    KTEST_CHECK(write_file("/ember.txt", 0, 0) == 0);
    struct fat_file *f;
    static const char text[] = "written by Ember\n";
    if (open_locked("/ember.txt", FAT_O_WRONLY, &f) == 0) {
        write_locked(f, text, sizeof text - 1);
        close_locked(f);
    }
    KTEST_CHECK(write_file("/big.bin", BIG_FILE_BYTES + 123, 5) == 0);
    KTEST_CHECK(write_file("/one.bin", 1, 6) == 0);
    storage_lock();
    KTEST_CHECK(fat_mkdir(storage_volume(), "/Ember Dir") == 0);
    KTEST_CHECK(fat_mkdir(storage_volume(), "/Ember Dir/sub") == 0);
    storage_mark_dirty();
    storage_unlock();
    KTEST_CHECK(
        write_file("/Ember Dir/sub/nested.bin", 3 * CLUSTER_BYTES + 1, 9) == 0);
    KTEST_CHECK(write_file("/old name.txt", 100, 11) == 0);
    storage_lock();
    KTEST_CHECK(fat_rename(storage_volume(), "/old name.txt",
                           "/Ember Dir/New Name.txt") == 0);
    storage_mark_dirty();
    storage_unlock();
    struct ata_stats st;
    ata_get_stats(&st);
    kprintf("storage: roundtrip done (dma %lu, pio %lu commands)\n",
            (unsigned long)st.dma_cmds, (unsigned long)st.pio_cmds);
    shutdown_power_off();
}

/*
 * Metadata changes with no close and no explicit sync, then an exit that
 * skips the shutdown sync: only the flusher can have written them.
 */
KTEST_MANUAL(storage_flusher_only)
{
    storage_lock();
    int a = fat_mkdir(storage_volume(), "/flushdir");
    int b = fat_rename(storage_volume(), "/README.TXT", "/flushdir/moved.txt");
    /* As fatfs's mark_changed(): for the flusher, and FAT[1]'s "in use"
     * (the boot's mkdir of /dev did that before the image had /dev). */
    storage_mark_dirty();
    fat_mark_dirty(storage_volume());
    storage_unlock();
    kprintf("storage: changed (%d, %d); waiting for the flusher\n", a, b);
    sched_sleep_ms(FLUSH_WAIT_MS);
    kprintf("storage: exiting without a sync\n");
    debugexit_exit(DEBUGEXIT_POWEROFF);
}

/* Powers off through ACPI S5 even under the harness: QEMU exits 0. */
KTEST_MANUAL(storage_acpi_power_off)
{
    shutdown_power_off_acpi();
}
