/*
 * Host tests for the block layer: range checks, partitions, the MBR reader
 * and the sector cache, over a small disk in memory.
 *
 * The MBR cases are built byte by byte (a whole-disk FAT32 boot sector, a
 * table with the FAT32 entry in slot 3, no FAT32 entry, an entry running
 * past the disk), so each states what it feeds the reader. The cache tests
 * prove the write-back rules FAT32 relies on: nothing reaches the disk
 * before bcache_sync() or an eviction, direct reads see dirty sectors, and
 * direct writes refresh cached copies, and an evicted directory sector
 * goes to the disk only after the dirty FAT sectors.
 *
 * Portable: host only; links the portable kernel files with
 * tests/host/portable_host.c.
 * See: docs/storage.md
 */
#include "fs/bcache.h"
#include "fs/blockdev.h"
#include "fs/mbr.h"

#include <stdlib.h>
#include <string.h>
#include <ember/errno.h>
#include "check.h"

#define SECTORS 4096
#define SS      512

struct mem_disk {
    struct blockdev bd;
    uint8_t *data;
    int reads, writes, flushes;
    uint64_t written[16]; /* the first sectors written, in order */
};

static int mem_read(struct blockdev *bd, uint64_t lba, uint32_t n, void *buf)
{
    struct mem_disk *m = bd->priv;
    m->reads++;
    memcpy(buf, m->data + lba * SS, (size_t)n * SS);
    return 0;
}

static int mem_write(struct blockdev *bd, uint64_t lba, uint32_t n,
                     const void *buf)
{
    struct mem_disk *m = bd->priv;
    if (m->writes < 16)
        m->written[m->writes] = lba;
    m->writes++;
    memcpy(m->data + lba * SS, buf, (size_t)n * SS);
    return 0;
}

static int mem_flush(struct blockdev *bd)
{
    struct mem_disk *m = bd->priv;
    m->flushes++;
    return 0;
}

static void mem_init(struct mem_disk *m)
{
    memset(m, 0, sizeof *m);
    m->data = calloc(SECTORS, SS);
    m->bd = (struct blockdev){SS, SECTORS, mem_read, mem_write, mem_flush, m};
}

static void put_entry(uint8_t *s, int i, uint8_t type, uint32_t start,
                      uint32_t count)
{
    struct mbr_entry e = {
        .status = 0, .type = type, .lba_first = start, .sectors = count};
    memcpy(s + MBR_TABLE_OFFSET + i * 16, &e, sizeof e);
    s[510] = 0x55;
    s[511] = 0xAA;
}

/* Reads and writes outside the device never reach the driver. */
TEST(blockdev_checks_ranges_and_offsets_partitions)
{
    struct mem_disk m;
    mem_init(&m);
    uint8_t buf[2 * SS];
    CHECK_EQ(blockdev_read(&m.bd, SECTORS, 1, buf), -EINVAL);
    CHECK_EQ(blockdev_read(&m.bd, SECTORS - 1, 2, buf), -EINVAL);
    CHECK_EQ(blockdev_read(&m.bd, 0, 0, buf), -EINVAL);
    CHECK_EQ(blockdev_write(&m.bd, UINT64_MAX, 1, buf), -EINVAL);
    CHECK_EQ(m.reads + m.writes, 0);
    struct blockdev_part p;
    CHECK_EQ(blockdev_part_init(&p, &m.bd, 100, SECTORS), -EINVAL);
    CHECK_EQ(blockdev_part_init(&p, &m.bd, 100, 50), 0);
    memset(buf, 0xAB, SS);
    CHECK_EQ(blockdev_write(&p.bd, 3, 1, buf), 0);
    CHECK_EQ(m.data[103 * SS], 0xAB);
    CHECK_EQ(blockdev_read(&p.bd, 49, 2, buf), -EINVAL);
    CHECK_EQ(blockdev_flush(&p.bd), 0);
    CHECK_EQ(m.flushes, 1);
    free(m.data);
}

/* Whole-disk FAT32, a partition by type, and the failures. */
TEST(mbr_finds_fat32_volume)
{
    struct mem_disk m;
    mem_init(&m);
    struct mbr_volume v;
    CHECK_EQ(mbr_find_fat32(&m.bd, &v), -ENOENT); /* all zeros */
    put_entry(m.data, 0, 0x83, 2048, 100);
    CHECK_EQ(mbr_find_fat32(&m.bd, &v), -ENOENT); /* Linux, not FAT32 */
    put_entry(m.data, 2, 0x0C, 2048, 2048);
    CHECK_EQ(mbr_find_fat32(&m.bd, &v), 0);
    CHECK_EQ(v.index, 2);
    CHECK_EQ(v.start, 2048);
    CHECK_EQ(v.sectors, 2048);
    put_entry(m.data, 1, 0x0B, 4000, 200); /* first match, but too long */
    CHECK_EQ(mbr_find_fat32(&m.bd, &v), -EUCLEAN);
    /* A FAT32 boot sector at LBA 0: the disk was formatted whole. */
    memset(m.data, 0, SS);
    uint8_t *s = m.data;
    s[0] = 0xEB;
    s[11] = 0x00, s[12] = 0x02; /* 512 bytes per sector */
    s[13] = 1;
    s[14] = 32;
    s[16] = 2;
    s[36] = 0x10;
    s[510] = 0x55, s[511] = 0xAA;
    CHECK(mbr_looks_like_fat32(s));
    CHECK_EQ(mbr_find_fat32(&m.bd, &v), 0);
    CHECK_EQ(v.index, -1);
    CHECK_EQ(v.start, 0);
    CHECK_EQ(v.sectors, SECTORS);
    s[22] = 1; /* a 16-bit FAT size: FAT16, so read as a partition table */
    CHECK(!mbr_looks_like_fat32(s));
    free(m.data);
}

/* Writes stay cached until sync, which writes each dirty sector once. */
TEST(bcache_writes_back_on_sync_only)
{
    struct mem_disk m;
    mem_init(&m);
    struct bcache *bc;
    CHECK_EQ(bcache_create(&m.bd, 8, &bc), 0);
    uint32_t v = 0x12345678;
    CHECK_EQ(bcache_write(bc, 10, 4, 4, &v), 0);
    CHECK_EQ(bcache_write(bc, 10, 8, 4, &v), 0);
    CHECK_EQ(bcache_write(bc, 5, 0, 4, &v), 0);
    CHECK_EQ(m.writes, 0);
    uint32_t r = 0;
    CHECK_EQ(bcache_read(bc, 10, 8, 4, &r), 0);
    CHECK_EQ(r, v);
    CHECK_EQ(bcache_sync(bc), 0);
    CHECK_EQ(m.writes, 2);
    CHECK_EQ(m.flushes, 1);
    CHECK_EQ(memcmp(m.data + 10 * SS + 8, &v, 4), 0);
    CHECK_EQ(bcache_sync(bc), 0);
    CHECK_EQ(m.writes, 2); /* nothing dirty any more */
    bcache_destroy(bc);
    free(m.data);
}

/* Filling the cache evicts the least recently used, writing it first. */
TEST(bcache_evicts_lru_with_write_back)
{
    struct mem_disk m;
    mem_init(&m);
    struct bcache *bc;
    CHECK_EQ(bcache_create(&m.bd, 4, &bc), 0);
    uint8_t b = 7;
    CHECK_EQ(bcache_write(bc, 1, 0, 1, &b), 0);
    for (uint64_t lba = 2; lba <= 4; lba++)
        CHECK_EQ(bcache_read(bc, lba, 0, 1, &b), 0);
    CHECK_EQ(bcache_read(bc, 1, 0, 1, &b), 0); /* 1 is now the newest */
    CHECK_EQ(bcache_read(bc, 9, 0, 1, &b), 0); /* evicts 2, clean */
    CHECK_EQ(m.writes, 0);
    for (uint64_t lba = 20; lba < 24; lba++)
        CHECK_EQ(bcache_read(bc, lba, 0, 1, &b), 0);
    CHECK_EQ(m.writes, 1); /* sector 1 had to go: written back first */
    CHECK_EQ(m.data[1 * SS], 7);
    bcache_destroy(bc);
    free(m.data);
}

/*
 * A dirty sector outside the first range (a directory's) is evicted only
 * after the dirty sectors inside it (the FAT's), lowest first, so an entry
 * never reaches the disk before the allocation it names; a FAT sector is
 * evicted alone. Without bcache_set_first() the directory sector, the
 * least recently used, would go first and alone.
 */
TEST(bcache_evicts_directory_after_fat)
{
    struct mem_disk m;
    mem_init(&m);
    struct bcache *bc;
    CHECK_EQ(bcache_create(&m.bd, 4, &bc), 0);
    bcache_set_first(bc, 100, 10);
    uint8_t b = 1;
    CHECK_EQ(bcache_write(bc, 500, 0, 1, &b), 0); /* the entry, oldest */
    CHECK_EQ(bcache_write(bc, 104, 0, 1, &b), 0); /* its allocation */
    CHECK_EQ(bcache_write(bc, 101, 0, 1, &b), 0);
    CHECK_EQ(m.writes, 0);
    CHECK_EQ(bcache_read(bc, 600, 0, 1, &b), 0); /* fills the cache */
    CHECK_EQ(bcache_read(bc, 601, 0, 1, &b), 0); /* evicts sector 500 */
    CHECK_EQ(m.writes, 3);
    CHECK_EQ(m.written[0], 101);
    CHECK_EQ(m.written[1], 104);
    CHECK_EQ(m.written[2], 500);
    /* A FAT sector evicted does not drag a directory sector with it. */
    CHECK_EQ(bcache_write(bc, 700, 0, 1, &b), 0);
    CHECK_EQ(bcache_write(bc, 102, 0, 1, &b), 0);
    CHECK_EQ(bcache_read(bc, 101, 0, 1, &b), 0);
    CHECK_EQ(bcache_read(bc, 602, 0, 1, &b), 0); /* evicts 601, clean */
    CHECK_EQ(bcache_read(bc, 603, 0, 1, &b), 0); /* evicts 700: 102 first */
    CHECK_EQ(m.writes, 5);
    CHECK_EQ(m.written[3], 102);
    CHECK_EQ(m.written[4], 700);
    bcache_destroy(bc);
    free(m.data);
}

/* Direct I/O and the cache agree, whichever was written last. */
TEST(bcache_direct_io_is_coherent)
{
    struct mem_disk m;
    mem_init(&m);
    struct bcache *bc;
    CHECK_EQ(bcache_create(&m.bd, 8, &bc), 0);
    uint8_t big[4 * SS], b = 0x5A;
    CHECK_EQ(bcache_write(bc, 101, 3, 1, &b), 0);
    CHECK_EQ(bcache_read_direct(bc, 100, 4, big), 0);
    CHECK_EQ(big[SS + 3], 0x5A); /* the dirty cached byte shows */
    memset(big, 0xC3, sizeof big);
    CHECK_EQ(bcache_write_direct(bc, 100, 4, big), 0);
    CHECK_EQ(bcache_read(bc, 101, 3, 1, &b), 0);
    CHECK_EQ(b, 0xC3); /* the cached copy took the new data */
    CHECK_EQ(bcache_sync(bc), 0);
    CHECK_EQ(m.data[101 * SS + 3], 0xC3); /* and no stale write-back */
    struct bcache_stats st;
    bcache_get_stats(bc, &st);
    CHECK_EQ(st.direct_calls, 2);
    bcache_destroy(bc);
    free(m.data);
}

int main(void)
{
    RUN(blockdev_checks_ranges_and_offsets_partitions);
    RUN(mbr_finds_fat32_volume);
    RUN(bcache_writes_back_on_sync_only);
    RUN(bcache_evicts_lru_with_write_back);
    RUN(bcache_direct_io_is_coherent);
    RUN(bcache_evicts_directory_after_fat);
    return check_summary();
}
