/*
 * Host tests for the bus-master PRD table builder: entries at page and
 * 64 KiB boundaries, the 0-means-64-KiB count, transfers over 64 KiB,
 * scattered frames, and every refusal (odd, high, too many entries).
 *
 * A fake translation maps the buffer's virtual pages to chosen physical
 * frames, so each case sets exactly the physical layout it is about. A
 * random case checks the invariants over many layouts: the entries add up
 * to the buffer, in order, none crosses 64 KiB, and only the last has EOT.
 *
 * Portable: host only; links kernel/drivers/ata_prd.c and portable_host.c.
 * See: docs/storage.md
 */
#include "drivers/ata_prd.h"

#include <stdint.h>
#include <stdlib.h>

#include <ember/errno.h>

#include "check.h"

#define PAGE        4096u
#define KIB64       0x10000u
#define MAX_PAGES   1100
#define TABLE_SLOTS 600
#define VA_BASE     0x40000000u /* the fake virtual buffer's page */
#define RANDOM_RUNS 2000

/* The fake address space: virtual page i of VA_BASE maps to frame[i]. */
struct fake {
    uint64_t frame[MAX_PAGES];
    int lookups;
};

static int xlate(void *ctx, uintptr_t va, uint64_t *pa)
{
    struct fake *f = ctx;
    uintptr_t page = (va - VA_BASE) / PAGE;
    f->lookups++;
    if (va < VA_BASE || page >= MAX_PAGES || f->frame[page] == UINT64_MAX)
        return -EFAULT;
    *pa = f->frame[page] + (va % PAGE);
    return 0;
}

static struct fake fk;
static struct ata_prd table[TABLE_SLOTS];

/* Maps n pages to contiguous frames starting at pa. */
static void contiguous(uint64_t pa, size_t n)
{
    for (size_t i = 0; i < MAX_PAGES; i++)
        fk.frame[i] = i < n ? pa + i * PAGE : UINT64_MAX;
}

static int build(uintptr_t offset, size_t bytes, size_t slots)
{
    return ata_prd_build(table, slots, (const void *)(VA_BASE + offset), bytes,
                         xlate, &fk);
}

TEST(one_page_is_one_entry_with_eot)
{
    contiguous(0x100000, 1);
    CHECK_EQ(build(0, PAGE, TABLE_SLOTS), 1);
    CHECK_EQ(table[0].addr, 0x100000);
    CHECK_EQ(table[0].bytes, PAGE);
    CHECK_EQ(table[0].flags, ATA_PRD_EOT);
}

TEST(one_sector_inside_a_page)
{
    contiguous(0x200000, 1);
    CHECK_EQ(build(0x600, 512, TABLE_SLOTS), 1);
    CHECK_EQ(table[0].addr, 0x200600);
    CHECK_EQ(table[0].bytes, 512);
}

TEST(contiguous_pages_merge)
{
    contiguous(0x300000, 4);
    CHECK_EQ(build(0, 4 * PAGE, TABLE_SLOTS), 1);
    CHECK_EQ(table[0].bytes, 4 * PAGE);
}

TEST(exact_64k_is_count_zero)
{
    contiguous(0x400000, 16);
    CHECK_EQ(build(0, KIB64, TABLE_SLOTS), 1);
    CHECK_EQ(table[0].addr, 0x400000);
    CHECK_EQ(table[0].bytes, 0);
    CHECK_EQ(ata_prd_bytes(&table[0]), KIB64);
}

TEST(contiguous_256k_splits_at_each_64k_line)
{
    contiguous(0x500000, 64);
    CHECK_EQ(build(0, 4 * KIB64, TABLE_SLOTS), 4);
    for (int i = 0; i < 4; i++) {
        CHECK_EQ(table[i].addr, 0x500000 + i * KIB64);
        CHECK_EQ(table[i].bytes, 0);
        CHECK_EQ(table[i].flags, i == 3 ? ATA_PRD_EOT : 0);
    }
}

/* Contiguous frames that straddle a 64 KiB line: cut there. */
TEST(straddling_a_64k_line_cuts_the_entry)
{
    contiguous(0x60f000, 2);
    CHECK_EQ(build(0, 2 * PAGE, TABLE_SLOTS), 2);
    CHECK_EQ(table[0].addr, 0x60f000);
    CHECK_EQ(table[0].bytes, PAGE);
    CHECK_EQ(table[1].addr, 0x610000);
    CHECK_EQ(table[1].bytes, PAGE);
}

/* An unaligned 64 KiB buffer over contiguous frames: two entries. */
TEST(unaligned_64k_over_a_line)
{
    contiguous(0x700000, 17);
    CHECK_EQ(build(0x200, KIB64, TABLE_SLOTS), 2);
    CHECK_EQ(table[0].addr, 0x700200);
    CHECK_EQ(table[0].bytes, KIB64 - 0x200);
    CHECK_EQ(table[1].addr, 0x710000);
    CHECK_EQ(table[1].bytes, 0x200);
}

/* Frames in reverse order: one entry per page, each at its own frame. */
TEST(scattered_frames_one_entry_each)
{
    for (size_t i = 0; i < MAX_PAGES; i++)
        fk.frame[i] = 0x900000 - i * PAGE;
    CHECK_EQ(build(0x800, 8 * PAGE, TABLE_SLOTS), 9);
    CHECK_EQ(table[0].addr, 0x900800);
    CHECK_EQ(table[0].bytes, PAGE - 0x800);
    for (int i = 1; i < 8; i++) {
        CHECK_EQ(table[i].addr, 0x900000 - i * PAGE);
        CHECK_EQ(table[i].bytes, PAGE);
    }
    CHECK_EQ(table[8].bytes, 0x800);
    CHECK_EQ(table[8].flags, ATA_PRD_EOT);
}

/* A translation that does not keep the page offset still never crosses. */
TEST(odd_translation_is_cut_at_the_line)
{
    contiguous(0, 2);
    fk.frame[0] = 0xff800; /* not page-aligned: 2 KiB before a line */
    fk.frame[1] = 0x200000;
    CHECK_EQ(build(0, 2 * PAGE, TABLE_SLOTS), 3);
    CHECK_EQ(table[0].addr, 0xff800);
    CHECK_EQ(table[0].bytes, 0x800);
    CHECK_EQ(table[1].addr, 0x100000);
    CHECK_EQ(table[1].bytes, 0x800);
    CHECK_EQ(table[2].addr, 0x200000);
}

TEST(refuses_odd_and_empty)
{
    contiguous(0x100000, 2);
    CHECK_EQ(build(1, 512, TABLE_SLOTS), -EINVAL);
    CHECK_EQ(build(0, 511, TABLE_SLOTS), -EINVAL);
    CHECK_EQ(build(0, 0, TABLE_SLOTS), -EINVAL);
}

TEST(refuses_memory_above_4g)
{
    contiguous(0x100000000ull, 1);
    CHECK_EQ(build(0, 512, TABLE_SLOTS), -ERANGE);
    contiguous(0xfffff000ull, 2); /* the last page below 4 GiB is fine */
    CHECK_EQ(build(0, PAGE, TABLE_SLOTS), 1);
    CHECK_EQ(build(0, PAGE + 2, TABLE_SLOTS), -ERANGE);
}

TEST(refuses_a_full_table)
{
    for (size_t i = 0; i < MAX_PAGES; i++)
        fk.frame[i] = 0x800000 + 2 * i * PAGE; /* never adjacent */
    CHECK_EQ(build(0, 4 * PAGE, 4), 4);
    CHECK_EQ(build(0, 4 * PAGE + 2, 4), -E2BIG);
}

TEST(passes_a_translation_error_up)
{
    contiguous(0x100000, 1); /* the second page is not mapped */
    CHECK_EQ(build(0, 2 * PAGE, TABLE_SLOTS), -EFAULT);
}

/* 4 MiB in scattered runs: the entries describe it exactly. */
TEST(random_layouts_keep_the_invariants)
{
    srand(15);
    for (int run = 0; run < RANDOM_RUNS; run++) {
        uint64_t pa = 0x100000 + (uint64_t)(rand() % 4096) * PAGE;
        for (size_t i = 0; i < MAX_PAGES; i++) {
            fk.frame[i] = pa;
            pa = rand() % 3 ? pa + PAGE : (uint64_t)(rand() % 8192) * PAGE;
        }
        uintptr_t off = (uintptr_t)(rand() % (int)PAGE) & ~1u;
        size_t bytes = ((size_t)rand() % (1000 * PAGE)) & ~(size_t)1;
        if (bytes == 0)
            bytes = 2;
        int n = build(off, bytes, TABLE_SLOTS);
        CHECK(n > 0);
        if (n <= 0)
            return;
        size_t total = 0;
        uintptr_t va = VA_BASE + off;
        for (int i = 0; i < n; i++) {
            uint64_t want;
            xlate(&fk, va, &want);
            uint32_t len = ata_prd_bytes(&table[i]);
            CHECK_EQ(table[i].addr, want);
            CHECK_EQ(table[i].addr / KIB64, (table[i].addr + len - 1) / KIB64);
            CHECK_EQ(table[i].flags, i == n - 1 ? ATA_PRD_EOT : 0);
            total += len;
            va += len;
        }
        CHECK_EQ(total, bytes);
    }
}

int main(void)
{
    RUN(one_page_is_one_entry_with_eot);
    RUN(one_sector_inside_a_page);
    RUN(contiguous_pages_merge);
    RUN(exact_64k_is_count_zero);
    RUN(contiguous_256k_splits_at_each_64k_line);
    RUN(straddling_a_64k_line_cuts_the_entry);
    RUN(unaligned_64k_over_a_line);
    RUN(scattered_frames_one_entry_each);
    RUN(odd_translation_is_cut_at_the_line);
    RUN(refuses_odd_and_empty);
    RUN(refuses_memory_above_4g);
    RUN(refuses_a_full_table);
    RUN(passes_a_translation_error_up);
    RUN(random_layouts_keep_the_invariants);
    return check_summary();
}
