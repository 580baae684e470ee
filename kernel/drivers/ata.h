/*
 * ATA disks on the two legacy IDE channels, by bus-master DMA or PIO.
 *
 * ata_init() finds the PCI IDE function for DMA (ata_dma.c), then probes the
 * four positions (primary/secondary, master/slave) with IDENTIFY and keeps the
 * disks it finds; ATAPI devices (the CD-ROM the ISO sits on) are recognised by
 * their signature and skipped quietly. Each disk is a struct blockdev
 * (kernel/fs/blockdev.h), so FAT32 can sit on it.
 *
 * Context: task (a DMA command sleeps until its interrupt; PIO polls,
 * yielding the CPU while the drive is busy).
 * See: docs/storage.md
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "fs/blockdev.h"

#define ATA_MAX_DISKS     4
#define ATA_SECTOR_BYTES  512
#define ATA_MODEL_BUF     41 /* 40 characters of IDENTIFY words 27-46, NUL */
/* The legacy IRQ lines of the two channels (PC/AT wiring, compatibility
 * mode): a DMA command ends with one interrupt on its channel's line. */
#define ATA_IRQ_PRIMARY   14
#define ATA_IRQ_SECONDARY 15

struct ata_disk_info {
    char model[ATA_MODEL_BUF];
    uint64_t sectors;
    bool lba48;
    unsigned channel; /* 0 primary, 1 secondary */
    bool slave;
};

/*
 * Sets up bus-master DMA when the machine has it (the `nodma` option keeps
 * PIO), then probes both channels and logs each disk it finds (and each
 * position that answers but fails IDENTIFY). Returns the number of disks.
 * Context: task, after sched_init(); a missing channel costs no time, a silent
 * device at most ATA_TIMEOUT_MS.
 */
int ata_init(void);

/* The i-th disk found (in probe order), or NULL. */
struct blockdev *ata_disk(int i);

/* Facts about the i-th disk (for the log and tests). NULL if none. */
const struct ata_disk_info *ata_disk_info(int i);

/* Commands issued and sectors moved since boot, for tests and benchmarks. */
struct ata_stats {
    uint64_t read_cmds;
    uint64_t write_cmds;
    uint64_t flush_cmds;
    uint64_t sectors_read;
    uint64_t sectors_written;
    uint64_t errors;       /* commands that failed or timed out */
    uint64_t resets;       /* software resets after a failure */
    uint64_t dma_cmds;     /* commands moved by bus-master DMA */
    uint64_t pio_cmds;     /* commands moved by PIO */
    uint64_t dma_failures; /* DMA commands redone by PIO */
    uint64_t dma_bounced;  /* DMA commands through a bounce buffer */
};

/*
 * Turns bus-master DMA off (every command by PIO) or back on, where the
 * machine has it: the run-time form of the `nodma` option, which lets a
 * test compare the two methods on one disk. Context: task.
 */
void ata_set_dma(bool on);

/* A copy of the counters. Context: any. */
void ata_get_stats(struct ata_stats *out);
