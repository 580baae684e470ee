/*
 * Builds the bus-master IDE controller's PRD table for one transfer.
 *
 * The buffer is walked page by page: each page's piece is translated to a
 * physical address, then either added to the current entry (when it starts
 * exactly where the entry ends, and the entry would stay inside its 64 KiB
 * window) or started as a new entry. With 4 KiB pages a piece never
 * crosses a 64 KiB line, which falls on a page boundary; the builder still
 * cuts a piece at the line, so a translation that does not keep the page
 * offset cannot produce a bad entry. A buffer from the kernel
 * heap of 64 KiB thus becomes 16 entries when its frames are scattered, and
 * one or two when they are adjacent.
 *
 * Portable: also built into tests/host/test_ata_prd.c.
 * See: docs/storage.md
 */
#include "drivers/ata_prd.h"

#include <ember/errno.h>

#include "lib/portable.h"

uint32_t ata_prd_bytes(const struct ata_prd *e)
{
    return e->bytes ? e->bytes : ATA_PRD_BOUNDARY;
}

/* True if [pa, pa + n) may be appended to entry e (ending where pa starts). */
static bool can_grow(const struct ata_prd *e, uint64_t pa, size_t n)
{
    uint32_t have = ata_prd_bytes(e);
    uint64_t start = e->addr;
    if (start + have != pa)
        return false;
    /* Same 64 KiB window from the entry's first byte to the piece's last. */
    return start / ATA_PRD_BOUNDARY == (pa + n - 1) / ATA_PRD_BOUNDARY;
}

int ata_prd_build(struct ata_prd *table, size_t max, const void *buf,
                  size_t bytes, ata_prd_xlate_fn xlate, void *ctx)
{
    uintptr_t va = (uintptr_t)buf;
    size_t used = 0;

    if (bytes == 0 || (va & 1) || (bytes & 1))
        return -EINVAL;
    while (bytes > 0) {
        size_t n = ATA_PRD_PAGE - (va % ATA_PRD_PAGE);
        if (n > bytes)
            n = bytes;
        uint64_t pa;
        int err = xlate(ctx, va, &pa);
        if (err < 0)
            return err;
        /* A translation need not keep the page offset (a huge page, a
         * fake on the host): never let one piece cross a 64 KiB line. */
        size_t to_line = ATA_PRD_BOUNDARY - (pa % ATA_PRD_BOUNDARY);
        if (n > to_line)
            n = to_line;
        if (pa + n > ATA_PRD_ADDR_LIMIT)
            return -ERANGE;
        if (used > 0 && can_grow(&table[used - 1], pa, n)) {
            struct ata_prd *e = &table[used - 1];
            /* A full 64 KiB window wraps the count to 0, which means 64 KiB. */
            e->bytes = (uint16_t)(ata_prd_bytes(e) + n);
        } else {
            if (used == max)
                return -E2BIG;
            table[used++] = (struct ata_prd){
                .addr = (uint32_t)pa, .bytes = (uint16_t)n, .flags = 0};
        }
        va += n;
        bytes -= n;
    }
    table[used - 1].flags = ATA_PRD_EOT;
    return (int)used;
}
