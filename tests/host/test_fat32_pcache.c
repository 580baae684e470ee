/*
 * Host tests: FAT32's file data through the page cache.
 *
 * Each test makes a fresh volume with mkfs.fat and counts the calls that
 * reach the image (struct host_disk): a second read of a file must make
 * none, a write none until the sync, and a renamed file keeps its cached
 * pages. Truncation must leave no stale bytes behind, and a cache of a
 * few pages (reclaiming and writing back all the time) must give the
 * same bytes as a model, with mtools and `fsck.fat -n` agreeing at the end.
 *
 * Portable: host only; links the portable kernel files with
 * tests/host/portable_host.c.
 * See: docs/storage.md
 */
#include "fs/fat32.h"

#include <ember/errno.h>
#include "check.h"
#include "fat_host.h"

#define VOL_MIB        40
#define SPC            1 /* 512-byte clusters: 8 in each page */
#define FILE_BYTES     (300 * 1024 + 77)
#define TINY_CACHE     8 /* pages */
#define STRESS_FILES   4
#define STRESS_MAX     (96 * 1024)
#define STRESS_OPS     1500
#define STRESS_CHUNK   9000
#define PAGE           4096
#define TRUNC_AT       5000
#define TRUNC_REGROW   (3 * PAGE)
#define PATTERN_SEED_A 3
#define PATTERN_SEED_B 4

static char img[600];

/* A fresh volume mounted with a cache of cache_pages (0: the default). */
static int mount_fresh(struct host_vol *hv, uint64_t cache_pages)
{
    snprintf(img, sizeof img, "%s", host_path("pcache.img"));
    if (host_mkfs(img, VOL_MIB, SPC, "") != 0)
        return -EIO;
    int err = host_disk_open(&hv->disk, img);
    struct mbr_volume mv;
    if (err == 0)
        err = mbr_find_fat32(&hv->disk.bd, &mv);
    if (err == 0)
        err = blockdev_part_init(&hv->part, &hv->disk.bd, mv.start, mv.sectors);
    struct fat_mount_opts opts = {.now = host_clock,
                                  .cache_pages = cache_pages};
    if (err == 0)
        err = fat_mount(&hv->part.bd, &opts, &hv->vol);
    return err;
}

static void finish(struct host_vol *hv)
{
    CHECK_EQ(host_unmount(hv), 0);
    CHECK(host_fats_equal(img, 0));
    CHECK(host_fsck_clean(img, false));
}

/* The second read of a file, even after a rename, reaches no device. */
TEST(fat_second_read_comes_from_the_cache)
{
    struct host_vol hv;
    CHECK_EQ(mount_fresh(&hv, 0), 0);
    if (check_cur_failed)
        return;
    uint8_t *data = malloc(FILE_BYTES);
    host_pattern(data, FILE_BYTES, PATTERN_SEED_A, 0);
    CHECK_EQ(host_fat_put(hv.vol, "/a.bin", data, FILE_BYTES), 0);
    CHECK(host_fat_eq(hv.vol, "/a.bin", data, FILE_BYTES));
    uint64_t before = hv.disk.reads;
    CHECK(host_fat_eq(hv.vol, "/a.bin", data, FILE_BYTES));
    CHECK_EQ(hv.disk.reads - before, 0);
    CHECK_EQ(fat_rename(hv.vol, "/a.bin", "/renamed.bin"), 0);
    before = hv.disk.reads;
    CHECK(host_fat_eq(hv.vol, "/renamed.bin", data, FILE_BYTES));
    CHECK_EQ(hv.disk.reads - before, 0);
    struct fat_cache_stats cs;
    fat_cache_stats(hv.vol, &cs);
    CHECK(cs.hits > 0);
    CHECK_EQ(cs.dirty_pages, 0);
    finish(&hv);
    CHECK(host_mread_eq(img, "/renamed.bin", data, FILE_BYTES));
    free(data);
}

/* Data written stays in dirty pages until fat_sync() writes it out. */
TEST(fat_writes_wait_for_the_sync)
{
    struct host_vol hv;
    CHECK_EQ(mount_fresh(&hv, 0), 0);
    if (check_cur_failed)
        return;
    uint8_t *data = malloc(FILE_BYTES);
    host_pattern(data, FILE_BYTES, PATTERN_SEED_B, 0);
    struct fat_file *f;
    CHECK_EQ(fat_open(hv.vol, "/w.bin", FAT_O_RDWR | FAT_O_CREAT, &f), 0);
    uint64_t writes = hv.disk.writes;
    CHECK_EQ(fat_write(f, data, FILE_BYTES), FILE_BYTES);
    CHECK_EQ(hv.disk.writes - writes, 0);
    struct fat_cache_stats cs;
    fat_cache_stats(hv.vol, &cs);
    CHECK_EQ(cs.dirty_pages, (FILE_BYTES + PAGE - 1) / PAGE);
    CHECK_EQ(fat_sync(hv.vol), 0);
    CHECK(hv.disk.writes - writes > 0);
    fat_cache_stats(hv.vol, &cs);
    CHECK_EQ(cs.dirty_pages, 0);
    CHECK(host_mread_eq(img, "/w.bin", data, FILE_BYTES));
    CHECK_EQ(fat_close(f), 0);
    finish(&hv);
    free(data);
}

/* Shrinking then growing a cached file reads zeros, never the old bytes. */
TEST(fat_truncate_leaves_no_stale_bytes)
{
    struct host_vol hv;
    CHECK_EQ(mount_fresh(&hv, 0), 0);
    if (check_cur_failed)
        return;
    uint8_t *data = malloc(FILE_BYTES), *model = calloc(1, TRUNC_REGROW);
    host_pattern(data, FILE_BYTES, PATTERN_SEED_A, 0);
    memcpy(model, data, TRUNC_AT);
    struct fat_file *f;
    CHECK_EQ(fat_open(hv.vol, "/t.bin", FAT_O_RDWR | FAT_O_CREAT, &f), 0);
    CHECK_EQ(fat_write(f, data, FILE_BYTES), FILE_BYTES);
    CHECK_EQ(fat_ftruncate(f, TRUNC_AT), 0);
    CHECK_EQ(fat_ftruncate(f, TRUNC_REGROW), 0);
    CHECK(host_fat_eq(hv.vol, "/t.bin", model, TRUNC_REGROW));
    /* And through a write past the end, which fills the gap with zeros. */
    CHECK_EQ(fat_ftruncate(f, TRUNC_AT), 0);
    CHECK_EQ(fat_seek(f, TRUNC_REGROW - 1, FAT_SEEK_SET), TRUNC_REGROW - 1);
    CHECK_EQ(fat_write(f, "z", 1), 1);
    model[TRUNC_REGROW - 1] = 'z';
    CHECK(host_fat_eq(hv.vol, "/t.bin", model, TRUNC_REGROW));
    CHECK_EQ(fat_close(f), 0);
    finish(&hv);
    CHECK(host_mread_eq(img, "/t.bin", model, TRUNC_REGROW));
    free(data);
    free(model);
}

/*
 * A cache of TINY_CACHE pages under random writes, reads, truncations and
 * unlinks of a few files, compared with a model after every step and with
 * mtools and fsck.fat at the end: reclaim and writeback run all the time.
 */
TEST(fat_tiny_cache_agrees_with_a_model)
{
    struct host_vol hv;
    CHECK_EQ(mount_fresh(&hv, TINY_CACHE), 0);
    if (check_cur_failed)
        return;
    srand(15);
    uint8_t *model[STRESS_FILES];
    size_t len[STRESS_FILES] = {0};
    struct fat_file *f[STRESS_FILES];
    char path[STRESS_FILES][32];
    uint8_t *buf = malloc(STRESS_MAX), *got = malloc(STRESS_MAX);
    for (int i = 0; i < STRESS_FILES; i++) {
        model[i] = calloc(1, STRESS_MAX);
        snprintf(path[i], sizeof path[i], "/s%d.bin", i);
        CHECK_EQ(fat_open(hv.vol, path[i], FAT_O_RDWR | FAT_O_CREAT, &f[i]), 0);
    }
    for (int op = 0; op < STRESS_OPS && !check_cur_failed; op++) {
        int i = rand() % STRESS_FILES;
        size_t pos = (size_t)rand() % STRESS_MAX;
        size_t n = 1 + (size_t)rand() % STRESS_CHUNK;
        if (n > STRESS_MAX - pos)
            n = STRESS_MAX - pos;
        switch (rand() % 4) {
        case 0: /* write, filling any gap with zeros */
            host_pattern(buf, n, (uint32_t)op, pos);
            CHECK_EQ(fat_seek(f[i], (int64_t)pos, FAT_SEEK_SET), (int64_t)pos);
            CHECK_EQ(fat_write(f[i], buf, n), (int64_t)n);
            if (pos > len[i])
                memset(model[i] + len[i], 0, pos - len[i]);
            memcpy(model[i] + pos, buf, n);
            if (pos + n > len[i])
                len[i] = pos + n;
            break;
        case 1: { /* read */
            CHECK_EQ(fat_seek(f[i], (int64_t)pos, FAT_SEEK_SET), (int64_t)pos);
            size_t want =
                pos < len[i] ? (n < len[i] - pos ? n : len[i] - pos) : 0;
            CHECK_EQ(fat_read(f[i], got, n), (int64_t)want);
            CHECK(memcmp(got, model[i] + pos, want) == 0);
            break;
        }
        case 2: /* truncate, either way */
            CHECK_EQ(fat_ftruncate(f[i], pos), 0);
            if (pos > len[i])
                memset(model[i] + len[i], 0, pos - len[i]);
            len[i] = pos;
            break;
        default: /* sometimes unlink and start again, else sync */
            if (rand() % 4 == 0) {
                CHECK_EQ(fat_close(f[i]), 0);
                CHECK_EQ(fat_unlink(hv.vol, path[i]), 0);
                CHECK_EQ(
                    fat_open(hv.vol, path[i], FAT_O_RDWR | FAT_O_CREAT, &f[i]),
                    0);
                len[i] = 0;
            } else {
                CHECK_EQ(fat_sync(hv.vol), 0);
            }
            break;
        }
    }
    struct fat_cache_stats cs;
    fat_cache_stats(hv.vol, &cs);
    printf("    %d operations: %lu pages read, %lu written back, %lu "
           "reclaimed\n",
           STRESS_OPS, (unsigned long)cs.pages_read,
           (unsigned long)cs.pages_written, (unsigned long)cs.reclaimed);
    CHECK(cs.reclaimed > 0);
    for (int i = 0; i < STRESS_FILES; i++) {
        CHECK(host_fat_eq(hv.vol, path[i], model[i], len[i]));
        CHECK_EQ(fat_close(f[i]), 0);
    }
    finish(&hv);
    for (int i = 0; i < STRESS_FILES; i++) {
        CHECK(host_mread_eq(img, path[i], model[i], len[i]));
        free(model[i]);
    }
    free(buf);
    free(got);
}

int main(void)
{
    host_init("pcache");
    RUN(fat_second_read_comes_from_the_cache);
    RUN(fat_writes_wait_for_the_sync);
    RUN(fat_truncate_leaves_no_stale_bytes);
    RUN(fat_tiny_cache_agrees_with_a_model);
    return host_finish(check_summary());
}
