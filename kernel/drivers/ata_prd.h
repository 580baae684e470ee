/*
 * The bus-master IDE controller's physical region descriptor (PRD) table:
 * how a kernel buffer is described to the DMA engine.
 *
 * The controller reads a table of 8-byte entries, each a physical address
 * and a byte count, and moves the sectors of one command through them in
 * order. The builder turns a virtual buffer into such a table, one page at a
 * time through a translation callback (the kernel heap is contiguous only
 * virtually), merging pages that are physically adjacent and cutting
 * entries where the controller demands it.
 *
 * Portable: also built into tests/host/test_ata_prd.c, with a fake
 * translation.
 * See: docs/storage.md
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

/*
 * One entry (Intel 82371AB PIIX4 datasheet, 2.7.3 "Bus Master IDE
 * Operation"; the same in the ATA/ATAPI Host Adapters Standard, T13 1510D):
 * the region's physical address, even and below 4 GiB; its byte count, even,
 * with 0 meaning 64 KiB; and the end-of-table flag on the last entry. A
 * region may not cross a 64 KiB boundary.
 */
struct ata_prd {
    uint32_t addr;
    uint16_t bytes; /* 0: 65,536 */
    uint16_t flags; /* ATA_PRD_EOT on the last entry */
};
_Static_assert(sizeof(struct ata_prd) == 8, "a PRD entry is 8 bytes");

#define ATA_PRD_EOT        0x8000u
#define ATA_PRD_BOUNDARY   0x10000u       /* 64 KiB: no entry crosses one */
#define ATA_PRD_ADDR_LIMIT 0x100000000ull /* 32-bit addresses only */
#define ATA_PRD_PAGE       4096u /* translation granule of the callback */

/*
 * Translates the virtual address va to a physical one in *pa. Returns 0, or
 * a negative errno when va is not mapped. Called once per page touched.
 */
typedef int (*ata_prd_xlate_fn)(void *ctx, uintptr_t va, uint64_t *pa);

/*
 * Fills table (room for max entries) for the bytes at buf. Returns the
 * number of entries, or:
 *   -EINVAL  buf or bytes is odd, or bytes is 0;
 *   -ERANGE  part of the buffer lies at or above 4 GiB physical;
 *   -E2BIG   the table has too few entries;
 *   what xlate returned, when a page is not mapped.
 * The last entry carries ATA_PRD_EOT. Context: any (it only computes).
 */
int ata_prd_build(struct ata_prd *table, size_t max, const void *buf,
                  size_t bytes, ata_prd_xlate_fn xlate, void *ctx);

/* Bytes an entry describes (its count field, with 0 read as 64 KiB). */
uint32_t ata_prd_bytes(const struct ata_prd *e);
