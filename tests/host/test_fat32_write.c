/*
 * Host tests: files written by our FAT32 read back exactly with mtools.
 *
 * Each test makes a fresh volume with mkfs.fat, works on it through the
 * fat_* API, checks sizes and contents at every step through our own
 * reads, then unmounts and checks the result with the real tools: `mcopy`
 * must read every file byte for byte, both FAT copies must be identical,
 * and `fsck.fat -n` must find nothing to fix. Most tests use 512-byte
 * clusters, where files cross many cluster boundaries; one uses the 4 KiB,
 * MBR-partitioned layout of the real disk.
 *
 * Portable: host only; links the portable kernel files with
 * tests/host/portable_host.c.
 * See: docs/storage.md
 */
#include "fs/fat32.h"

#include <ember/errno.h>
#include "check.h"
#include "fat_host.h"

#define SMALL_MIB 40
#define MODEL_MAX (1u << 20)

static char img[600];

static bool fresh(struct host_vol *hv, unsigned spc)
{
    snprintf(img, sizeof img, "%s", host_path("write.img"));
    if (host_mkfs(img, SMALL_MIB, spc, "") != 0)
        return false;
    return host_mount(hv, img) == 0;
}

/* Unmount, then the tools' verdict: identical FATs and a clean fsck. */
static void finish(struct host_vol *hv)
{
    CHECK_EQ(host_unmount(hv), 0);
    CHECK(host_fats_equal(img, 0));
    CHECK(host_fsck_clean(img, false));
}

/*
 * Writes of awkward sizes crossing sector and cluster boundaries: after
 * each one fstat, stat by path and a full read agree with the model.
 */
TEST(fat_write_sizes_exact_at_every_step)
{
    struct host_vol hv;
    CHECK(fresh(&hv, 1));
    if (check_cur_failed)
        return;
    static const size_t steps[] = {1,    510, 1,         512, 513,    0, 1023,
                                   4096, 3,   65536 + 5, 511, 100000, 2};
    uint8_t *model = malloc(MODEL_MAX);
    size_t len = 0;
    struct fat_file *f;
    CHECK_EQ(fat_open(hv.vol, "/log.txt", FAT_O_RDWR | FAT_O_CREAT, &f), 0);
    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
        host_pattern(model + len, steps[i], (uint32_t)i, len);
        CHECK_EQ(fat_write(f, model + len, steps[i]), steps[i]);
        len += steps[i];
        struct fat_stat st;
        CHECK_EQ(fat_fstat(f, &st), 0);
        CHECK_EQ(st.size, len);
        CHECK_EQ(fat_stat(hv.vol, "/LOG.TXT", &st), 0);
        CHECK_EQ(st.size, len);
        CHECK(host_fat_eq(hv.vol, "/log.txt", model, len));
    }
    CHECK_EQ(fat_close(f), 0);
    CHECK(host_mread_eq(img, "/log.txt", model, len));
    finish(&hv);
    CHECK(host_mread_eq(img, "/log.txt", model, len));
    free(model);
}

/* O_APPEND always writes at the end; a seek then overwrites the middle. */
TEST(fat_append_and_overwrite_middle)
{
    struct host_vol hv;
    CHECK(fresh(&hv, 1));
    if (check_cur_failed)
        return;
    uint8_t *model = malloc(MODEL_MAX);
    size_t len = 0;
    for (int i = 0; i < 20; i++) {
        struct fat_file *f;
        CHECK_EQ(fat_open(hv.vol, "/app.bin",
                          FAT_O_WRONLY | FAT_O_CREAT | FAT_O_APPEND, &f),
                 0);
        CHECK_EQ(fat_seek(f, 0, FAT_SEEK_SET), 0); /* ignored by append */
        size_t n = 300 + (size_t)i * 97;
        host_pattern(model + len, n, 99, len);
        CHECK_EQ(fat_write(f, model + len, n), n);
        len += n;
        CHECK_EQ(fat_close(f), 0);
    }
    struct fat_file *f;
    CHECK_EQ(fat_open(hv.vol, "/app.bin", FAT_O_RDWR, &f), 0);
    for (size_t off = 100; off + 2000 < len; off += 3001) {
        host_pattern(model + off, 1500, 7, off);
        CHECK_EQ(fat_seek(f, (int64_t)off, FAT_SEEK_SET), off);
        CHECK_EQ(fat_write(f, model + off, 1500), 1500);
    }
    struct fat_stat st;
    CHECK_EQ(fat_fstat(f, &st), 0);
    CHECK_EQ(st.size, len);
    CHECK_EQ(fat_close(f), 0);
    CHECK(host_fat_eq(hv.vol, "/app.bin", model, len));
    finish(&hv);
    CHECK(host_mread_eq(img, "/app.bin", model, len));
    free(model);
}

/* Seeking past the end and writing, or truncating up, fills with zeros. */
TEST(fat_extend_with_zeros_and_truncate)
{
    struct host_vol hv;
    CHECK(fresh(&hv, 1));
    if (check_cur_failed)
        return;
    uint8_t *model = calloc(1, MODEL_MAX);
    struct fat_statfs before, after;
    CHECK_EQ(fat_statfs(hv.vol, &before), 0);
    struct fat_file *f;
    CHECK_EQ(fat_open(hv.vol, "/holes", FAT_O_RDWR | FAT_O_CREAT, &f), 0);
    host_pattern(model, 700, 1, 0);
    CHECK_EQ(fat_write(f, model, 700), 700);
    CHECK_EQ(fat_seek(f, 5000, FAT_SEEK_SET), 5000);
    host_pattern(model + 5000, 10, 2, 5000);
    CHECK_EQ(fat_write(f, model + 5000, 10), 10);
    CHECK(host_fat_eq(hv.vol, "/holes", model, 5010));
    /* Shrink into the middle of the first run, then grow again: the bytes
     * between must read as zeros, not as the old data. */
    CHECK_EQ(fat_ftruncate(f, 300), 0);
    memset(model + 300, 0, MODEL_MAX - 300);
    CHECK(host_fat_eq(hv.vol, "/holes", model, 300));
    CHECK_EQ(fat_ftruncate(f, 20000), 0);
    CHECK(host_fat_eq(hv.vol, "/holes", model, 20000));
    CHECK_EQ(fat_truncate(hv.vol, "/holes", 1), 0); /* open elsewhere, too */
    struct fat_stat st;
    CHECK_EQ(fat_fstat(f, &st), 0);
    CHECK_EQ(st.size, 1);
    CHECK_EQ(fat_ftruncate(f, 0), 0);
    CHECK_EQ(fat_statfs(hv.vol, &after), 0);
    CHECK_EQ(after.free_clusters, before.free_clusters);
    CHECK_EQ(fat_ftruncate(f, 1000), 0);
    CHECK_EQ(fat_close(f), 0);
    memset(model, 0, 1000);
    finish(&hv);
    CHECK(host_mread_eq(img, "/holes", model, 1000));
    free(model);
}

/* The open flags behave as POSIX's do. */
TEST(fat_open_flags)
{
    struct host_vol hv;
    CHECK(fresh(&hv, 1));
    if (check_cur_failed)
        return;
    struct fat_file *f;
    uint8_t buf[16] = "0123456789";
    CHECK_EQ(fat_open(hv.vol, "/a", FAT_O_RDONLY, &f), -ENOENT);
    CHECK_EQ(
        fat_open(hv.vol, "/a", FAT_O_WRONLY | FAT_O_CREAT | FAT_O_EXCL, &f), 0);
    CHECK_EQ(fat_read(f, buf, 1), -EBADF);
    CHECK_EQ(fat_write(f, buf, 10), 10);
    CHECK_EQ(fat_close(f), 0);
    CHECK_EQ(
        fat_open(hv.vol, "/A", FAT_O_WRONLY | FAT_O_CREAT | FAT_O_EXCL, &f),
        -EEXIST);
    CHECK_EQ(fat_open(hv.vol, "/a", FAT_O_RDONLY, &f), 0);
    CHECK_EQ(fat_write(f, buf, 1), -EBADF);
    CHECK_EQ(fat_read(f, buf, 16), 10);
    CHECK_EQ(fat_close(f), 0);
    CHECK_EQ(fat_open(hv.vol, "/a", FAT_O_RDWR | FAT_O_TRUNC, &f), 0);
    CHECK_EQ(fat_read(f, buf, 16), 0);
    CHECK_EQ(fat_close(f), 0);
    CHECK_EQ(fat_open(hv.vol, "/missing/a", FAT_O_RDWR | FAT_O_CREAT, &f),
             -ENOENT);
    CHECK_EQ(fat_open(hv.vol, "/a/b", FAT_O_RDWR | FAT_O_CREAT, &f), -ENOTDIR);
    CHECK_EQ(fat_open(hv.vol, "/new/", FAT_O_RDWR | FAT_O_CREAT, &f), -EISDIR);
    CHECK_EQ(fat_open(hv.vol, "/", FAT_O_RDWR, &f), -EISDIR);
    CHECK_EQ(fat_open(hv.vol, "/bad*name", FAT_O_RDWR | FAT_O_CREAT, &f),
             -EINVAL);
    CHECK_EQ(fat_open(hv.vol, "/", FAT_O_RDONLY, &f), 0);
    CHECK_EQ(fat_read(f, buf, 1), -EISDIR);
    CHECK_EQ(fat_close(f), 0);
    finish(&hv);
}

/* mkdir makes "." and ".."; rmdir refuses what POSIX refuses. */
TEST(fat_mkdir_and_rmdir)
{
    struct host_vol hv;
    CHECK(fresh(&hv, 1));
    if (check_cur_failed)
        return;
    CHECK_EQ(fat_mkdir(hv.vol, "/a"), 0);
    CHECK_EQ(fat_mkdir(hv.vol, "/a/Sub Directory"), 0);
    CHECK_EQ(fat_mkdir(hv.vol, "/a/Sub Directory/c"), 0);
    CHECK_EQ(fat_mkdir(hv.vol, "/A"), -EEXIST);
    CHECK_EQ(fat_mkdir(hv.vol, "/"), -EEXIST);
    CHECK_EQ(fat_mkdir(hv.vol, "/x/y"), -ENOENT);
    CHECK_EQ(host_fat_put(hv.vol, "/a/Sub Directory/c/file.txt",
                          (const uint8_t *)"hello", 5),
             0);
    CHECK_EQ(fat_rmdir(hv.vol, "/a"), -ENOTEMPTY);
    CHECK_EQ(fat_rmdir(hv.vol, "/a/sub directory/c/file.txt"), -ENOTDIR);
    CHECK_EQ(fat_unlink(hv.vol, "/a"), -EISDIR);
    CHECK_EQ(fat_rmdir(hv.vol, "/"), -EBUSY);
    CHECK_EQ(fat_rmdir(hv.vol, "/a/."), -EINVAL);
    CHECK_EQ(fat_rmdir(hv.vol, "/nope"), -ENOENT);
    struct fat_file *d;
    CHECK_EQ(fat_open(hv.vol, "/a/sub directory/c", FAT_O_RDONLY, &d), 0);
    CHECK_EQ(fat_unlink(hv.vol, "/a/sub directory/c/file.txt"), 0);
    CHECK_EQ(fat_rmdir(hv.vol, "/a/sub directory/c"), -EBUSY);
    CHECK_EQ(fat_close(d), 0);
    CHECK_EQ(fat_rmdir(hv.vol, "/a/sub directory/c"), 0);
    CHECK_EQ(fat_mkdir(hv.vol, "/a/sub directory/c2"), 0);
    CHECK_EQ(fat_mkdir(hv.vol, "/b"), 0);
    CHECK_EQ(fat_rmdir(hv.vol, "/b"), 0);
    struct host_listing *ours = malloc(sizeof *ours);
    struct host_listing *theirs = malloc(sizeof *theirs);
    CHECK_EQ(host_fat_list(hv.vol, "/a/Sub Directory", ours), 0);
    CHECK_EQ(ours->n, 3); /* ".", "..", "c2" */
    CHECK_EQ(host_unmount(&hv), 0);
    host_mdir(img, "/a/Sub Directory", theirs);
    CHECK(host_listing_eq(ours, theirs, true));
    CHECK(host_mount(&hv, img) == 0);
    finish(&hv);
    free(ours);
    free(theirs);
}

/* A big write becomes a few multi-sector commands, and mtools agrees. */
TEST(fat_big_write_uses_few_commands)
{
    struct host_vol hv;
    snprintf(img, sizeof img, "%s", host_path("write-mbr.img"));
    CHECK_EQ(host_mkdisk(img, 272, 8), 0);
    CHECK_EQ(host_mount(&hv, img), 0);
    if (check_cur_failed)
        return;
    size_t len = 4u << 20;
    uint8_t *data = malloc(len);
    host_pattern(data, len, 5, 0);
    struct fat_file *f;
    CHECK_EQ(fat_open(hv.vol, "/big.bin", FAT_O_WRONLY | FAT_O_CREAT, &f), 0);
    uint64_t before = hv.disk.writes;
    CHECK_EQ(fat_write(f, data, len), len);
    uint64_t calls = hv.disk.writes - before;
    printf("    4 MiB write at 4 KiB clusters: %lu device writes\n",
           (unsigned long)calls);
    CHECK(calls <= 4);
    CHECK_EQ(fat_close(f), 0);
    CHECK_EQ(host_unmount(&hv), 0);
    CHECK(host_mread_eq(host_mimg(img, true), "/big.bin", data, len));
    CHECK(host_fats_equal(img, HOST_PART_START * HOST_SECTOR));
    CHECK(host_fsck_clean(img, true));
    free(data);
}

/* fat_sync() alone puts data and metadata on the disk, file still open. */
TEST(fat_sync_makes_changes_visible)
{
    struct host_vol hv;
    CHECK(fresh(&hv, 1));
    if (check_cur_failed)
        return;
    struct fat_file *f;
    CHECK_EQ(fat_open(hv.vol, "/synced.txt", FAT_O_WRONLY | FAT_O_CREAT, &f),
             0);
    CHECK_EQ(fat_write(f, "abc", 3), 3);
    CHECK_EQ(fat_mkdir(hv.vol, "/dir"), 0);
    CHECK_EQ(fat_sync(hv.vol), 0);
    CHECK(host_mread_eq(img, "/synced.txt", (const uint8_t *)"abc", 3));
    struct fat_statfs sf;
    CHECK_EQ(fat_statfs(hv.vol, &sf), 0);
    char *out =
        host_sh_out("mdir -i '%s' ::/ | grep 'bytes free' | tr -d ' '", img);
    CHECK_EQ(atoll(out), (long long)sf.free_clusters * sf.cluster_size);
    free(out);
    CHECK_EQ(fat_unmount(hv.vol), -EBUSY);
    CHECK_EQ(fat_close(f), 0);
    finish(&hv);
}

/*
 * Two handles on one file share its size: one truncates and rewrites, the
 * other reads the new bytes at its own position (its cached place in the
 * old chain must not be trusted). Unlinking the open file removes its name
 * at once; both handles keep reading and writing it, and its clusters are
 * freed at the last close (fsck finds no lost clusters).
 */
TEST(fat_two_handles_share_one_file)
{
    struct host_vol hv;
    CHECK(fresh(&hv, 1));
    if (check_cur_failed)
        return;
    uint8_t *a = malloc(30000), *b = malloc(30000), *got = malloc(30000);
    host_pattern(a, 30000, 1, 0);
    host_pattern(b, 30000, 2, 0);
    struct fat_file *w, *r;
    CHECK_EQ(fat_open(hv.vol, "/shared", FAT_O_RDWR | FAT_O_CREAT, &w), 0);
    CHECK_EQ(fat_write(w, a, 30000), 30000);
    CHECK_EQ(fat_open(hv.vol, "/shared", FAT_O_RDONLY, &r), 0);
    CHECK_EQ(fat_seek(r, 20000, FAT_SEEK_SET), 20000);
    CHECK_EQ(fat_read(r, got, 100), 100);
    CHECK(memcmp(got, a + 20000, 100) == 0);
    CHECK_EQ(fat_ftruncate(w, 0), 0);
    CHECK_EQ(fat_seek(w, 0, FAT_SEEK_SET), 0);
    CHECK_EQ(fat_write(w, b, 30000), 30000);
    CHECK_EQ(fat_read(r, got, 100), 100); /* from 20100, in the new data */
    CHECK(memcmp(got, b + 20100, 100) == 0);
    struct fat_statfs before, after;
    CHECK_EQ(fat_statfs(hv.vol, &before), 0);
    CHECK_EQ(fat_unlink(hv.vol, "/shared"), 0);
    struct fat_file *gone;
    CHECK_EQ(fat_open(hv.vol, "/shared", FAT_O_RDONLY, &gone), -ENOENT);
    CHECK_EQ(fat_unlink(hv.vol, "/shared"), -ENOENT);
    CHECK_EQ(fat_seek(r, 0, FAT_SEEK_SET), 0);
    CHECK_EQ(fat_read(r, got, 100), 100); /* the data outlives the name */
    CHECK(memcmp(got, b, 100) == 0);
    struct fat_stat st;
    CHECK_EQ(fat_fstat(r, &st), 0);
    CHECK_EQ(st.size, 30000);
    CHECK_EQ(fat_close(w), 0);
    CHECK_EQ(fat_statfs(hv.vol, &after), 0);
    CHECK_EQ(after.free_clusters, before.free_clusters); /* r still open */
    CHECK_EQ(fat_close(r), 0);
    CHECK_EQ(fat_statfs(hv.vol, &after), 0);
    CHECK(after.free_clusters > before.free_clusters);
    finish(&hv);
    free(a);
    free(b);
    free(got);
}

int main(void)
{
    host_init("write");
    RUN(fat_write_sizes_exact_at_every_step);
    RUN(fat_append_and_overwrite_middle);
    RUN(fat_extend_with_zeros_and_truncate);
    RUN(fat_open_flags);
    RUN(fat_mkdir_and_rmdir);
    RUN(fat_big_write_uses_few_commands);
    RUN(fat_sync_makes_changes_visible);
    RUN(fat_two_handles_share_one_file);
    return host_finish(check_summary());
}
