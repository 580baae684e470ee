/*
 * Host tests: damaged volumes give errors, never a crash or a hang.
 *
 * Every test starts from a good mtools-made image and damages a copy: boot
 * sector fields one at a time (each must be refused with the right code),
 * random bytes in the boot sector, a FAT with a loop, chains that run off
 * the volume, into a free cluster or end early, directory entries pointing
 * outside the volume, a directory chain that loops, wrong FSInfo, random
 * bytes sprayed over the FAT and the directories, and a disk whose reads or
 * writes fail (the volume turns read-only and writes nothing more; a bad
 * FAT sector is read from the other copy), and FAT[1]'s clean bit. The copies
 * are copy-on-write overlays in memory over the one image file, so hundreds of
 * variants cost nothing. All of it runs under AddressSanitizer and UBSan, which
 * turn any overrun into a failure.
 *
 * Portable: host only; links the portable kernel files with
 * tests/host/portable_host.c.
 * See: docs/storage.md
 */
#include "fs/fat32.h"

#include <ember/errno.h>
#include "check.h"
#include "fat_host.h"

#define COW_SLOTS  65536 /* open addressing; far more than a test writes */
#define RESERVED   32    /* mkfs.fat's reserved sectors: the FAT starts here */
#define SPRAY_RUNS 150
#define FUZZ_RUNS  300

static char img[600];
static uint32_t fat_sectors, data_lba;

/* A copy-on-write overlay over the good image: reads see what was written. */
struct cow_disk {
    struct host_disk base;
    uint64_t *lbas; /* UINT64_MAX: an empty slot */
    uint8_t **sectors;
    bool fail_reads;
    /* bad sectors: accesses to [bad_from, bad_to) fail as chosen */
    uint64_t bad_from, bad_to;
    bool bad_reads, bad_writes;
    bool refused;                  /* a write to a bad sector has failed */
    uint64_t writes_after_refusal; /* sectors written after that */
};

static bool hits_bad(const struct cow_disk *c, uint64_t lba, uint32_t n)
{
    return lba < c->bad_to && lba + n > c->bad_from;
}

static uint8_t **cow_find(struct cow_disk *c, uint64_t lba, bool add)
{
    uint64_t h = (lba * 0x9E3779B97F4A7C15ull) % COW_SLOTS;
    while (c->lbas[h] != UINT64_MAX && c->lbas[h] != lba)
        h = (h + 1) % COW_SLOTS;
    if (c->lbas[h] == UINT64_MAX) {
        if (!add)
            return NULL;
        c->lbas[h] = lba;
    }
    return &c->sectors[h];
}

static int cow_read(struct blockdev *bd, uint64_t lba, uint32_t n, void *buf)
{
    struct cow_disk *c = bd->priv;
    if (c->fail_reads || (c->bad_reads && hits_bad(c, lba, n)))
        return -EIO;
    int err = host_disk_read(&c->base.bd, lba, n, buf);
    for (uint32_t i = 0; err == 0 && i < n; i++) {
        uint8_t **s = cow_find(c, lba + i, false);
        if (s != NULL)
            memcpy((uint8_t *)buf + i * HOST_SECTOR, *s, HOST_SECTOR);
    }
    return err;
}

static int cow_write(struct blockdev *bd, uint64_t lba, uint32_t n,
                     const void *buf)
{
    struct cow_disk *c = bd->priv;
    if (c->base.fail_after_writes &&
        c->base.writes++ >= c->base.fail_after_writes)
        return -EIO;
    if (c->bad_writes && hits_bad(c, lba, n)) {
        c->refused = true;
        return -EIO;
    }
    if (c->refused)
        c->writes_after_refusal += n;
    for (uint32_t i = 0; i < n; i++) {
        uint8_t **s = cow_find(c, lba + i, true);
        if (*s == NULL)
            *s = malloc(HOST_SECTOR);
        memcpy(*s, (const uint8_t *)buf + i * HOST_SECTOR, HOST_SECTOR);
    }
    return 0;
}

static void cow_open(struct cow_disk *c)
{
    host_disk_open(&c->base, img);
    c->base.bd.priv = c;
    c->base.bd.read = cow_read;
    c->base.bd.write = cow_write;
    c->lbas = malloc(sizeof *c->lbas * COW_SLOTS);
    memset(c->lbas, 0xFF, sizeof *c->lbas * COW_SLOTS);
    c->sectors = calloc(COW_SLOTS, sizeof *c->sectors);
    c->fail_reads = false;
    c->bad_from = c->bad_to = 0;
    c->bad_reads = c->bad_writes = false;
    c->refused = false;
    c->writes_after_refusal = 0;
}

static void cow_close(struct cow_disk *c)
{
    for (int i = 0; i < COW_SLOTS; i++)
        free(c->sectors[i]);
    free(c->sectors);
    free(c->lbas);
    host_disk_close(&c->base);
}

/* Patch bytes of a sector in the overlay (read-modify-write). */
static void patch(struct cow_disk *c, uint64_t lba, uint32_t off,
                  const void *bytes, uint32_t len)
{
    uint8_t s[HOST_SECTOR];
    cow_read(&c->base.bd, lba, 1, s);
    memcpy(s + off, bytes, len);
    cow_write(&c->base.bd, lba, 1, s);
}

static void patch32(struct cow_disk *c, uint64_t lba, uint32_t off, uint32_t v)
{
    patch(c, lba, off, &v, sizeof v);
}

/* Set FAT entry `cluster` in both copies. */
static void set_fat(struct cow_disk *c, uint32_t cluster, uint32_t v)
{
    for (uint32_t i = 0; i < 2; i++)
        patch32(c, RESERVED + i * fat_sectors + cluster / 128,
                cluster % 128 * 4, v);
}

static uint32_t get_fat(struct cow_disk *c, uint32_t cluster)
{
    uint8_t s[HOST_SECTOR];
    uint32_t v;
    cow_read(&c->base.bd, RESERVED + cluster / 128, 1, s);
    memcpy(&v, s + cluster % 128 * 4, sizeof v);
    return v & 0x0FFFFFFF;
}

/* Walk everything reachable: list, stat and read it all. No verdict. */
static void walk(struct fat_volume *vol, const char *dir, int depth)
{
    struct fat_file *d;
    if (depth > 4 || fat_open(vol, dir, FAT_O_RDONLY, &d) < 0)
        return;
    struct fat_dirent *e = malloc(sizeof *e);
    char path[1024];
    uint8_t *buf = malloc(8192);
    for (int n = 0; n < 200 && fat_readdir(d, e) == 1; n++) {
        if (strcmp(e->name, ".") == 0 || strcmp(e->name, "..") == 0)
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, e->name);
        struct fat_stat st;
        fat_stat(vol, path, &st);
        if (e->is_dir) {
            walk(vol, path, depth + 1);
            continue;
        }
        struct fat_file *f;
        if (fat_open(vol, path, FAT_O_RDONLY, &f) == 0) {
            for (int k = 0; k < 64 && fat_read(f, buf, 8192) > 0; k++)
                ;
            fat_close(f);
        }
    }
    free(buf);
    free(e);
    fat_close(d);
}

/* Also try to change the damaged volume. No verdict either. */
static void scribble(struct fat_volume *vol)
{
    struct fat_file *f;
    if (fat_open(vol, "/dir/new file.txt", FAT_O_RDWR | FAT_O_CREAT, &f) == 0) {
        fat_write(f, "some bytes", 10);
        fat_ftruncate(f, 5000);
        fat_close(f);
    }
    fat_mkdir(vol, "/dir/newdir");
    fat_rename(vol, "/dir", "/renamed");
    fat_unlink(vol, "/big.bin");
    fat_rmdir(vol, "/renamed/newdir");
}

static int mount_cow(struct cow_disk *c, struct fat_volume **vol)
{
    struct fat_mount_opts opts = {.now = host_clock};
    return fat_mount(&c->base.bd, &opts, vol);
}

/* The root of the good image: files spanning many 512-byte clusters. */
static bool make_good_image(void)
{
    snprintf(img, sizeof img, "%s", host_path("good.img"));
    const char *big = host_path("big.bin");
    if (host_mkfs(img, 40, 1, "") != 0 ||
        host_sh("head -c 20000 /dev/urandom > '%s'", big) != 0 ||
        host_sh("mmd -i '%s' ::/dir ::/dir/sub && mcopy -i '%s' '%s' ::/ && "
                "mcopy -i '%s' '%s' '::/dir/a long file name.bin' && "
                "mcopy -i '%s' '%s' ::/dir/sub/small",
                img, img, big, img, big, img, big) != 0)
        return false;
    struct cow_disk c;
    cow_open(&c);
    uint8_t s[HOST_SECTOR];
    cow_read(&c.base.bd, 0, 1, s);
    memcpy(&fat_sectors, s + 36, 4);
    data_lba = RESERVED + 2 * fat_sectors;
    cow_close(&c);
    return true;
}

/* First cluster of a file, from its entry through our own stat. */
static uint32_t first_cluster(struct cow_disk *c, const char *path)
{
    struct fat_volume *vol;
    struct fat_stat st = {0};
    if (mount_cow(c, &vol) == 0) {
        fat_stat(vol, path, &st);
        fat_unmount(vol);
    }
    return st.first_cluster;
}

struct bpb_case {
    const char *what;
    uint32_t off, len, value;
    int want;
};

/* Each boot sector field that does not add up is refused, with its code. */
TEST(fat_mount_refuses_bad_boot_sectors)
{
    static const struct bpb_case cases[] = {
        {"signature", 510, 2, 0, -EINVAL},
        {"jump", 0, 1, 0, -EINVAL},
        {"bytes per sector", 11, 2, 1024, -EINVAL},
        {"root entries (FAT16)", 17, 2, 512, -EINVAL},
        {"16-bit FAT size", 22, 2, 9, -EINVAL},
        {"FAT32 version", 42, 2, 1, -EINVAL},
        {"sectors per cluster 3", 13, 1, 3, -EUCLEAN},
        {"sectors per cluster 0", 13, 1, 0, -EUCLEAN},
        {"reserved sectors 0", 14, 2, 0, -EUCLEAN},
        {"no FATs", 16, 1, 0, -EUCLEAN},
        {"bigger than the device", 32, 4, 0x7FFFFFFF, -EUCLEAN},
        {"FATs past the end", 36, 4, 0x00FFFFFF, -EUCLEAN},
        {"FAT too small", 36, 4, 16, -EUCLEAN},
        {"too few clusters", 32, 4, 40000, -EINVAL},
        {"root cluster 0", 44, 4, 0, -EUCLEAN},
        {"root cluster past the end", 44, 4, 0x0FFFFFF0, -EUCLEAN},
        {"active FAT missing", 40, 2, 0x0083, -EUCLEAN},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct cow_disk c;
        cow_open(&c);
        uint8_t v[4];
        memcpy(v, &cases[i].value, 4);
        patch(&c, 0, cases[i].off, v, cases[i].len);
        struct fat_volume *vol;
        int err = mount_cow(&c, &vol);
        if (err != cases[i].want) {
            fprintf(stderr, "%s: mount gave %d, want %d\n", cases[i].what, err,
                    cases[i].want);
            check_cur_failed = 1;
        }
        if (err == 0)
            fat_unmount(vol);
        cow_close(&c);
    }
}

/* A FAT16 volume and a FAT32 one with too few clusters are not FAT32. */
TEST(fat_mount_refuses_fat16_and_small_fat32)
{
    const char *f16 = host_path("fat16.img");
    const char *small = host_path("small32.img");
    CHECK_EQ(host_sh("truncate -s 40M '%s' && /usr/sbin/mkfs.fat -F 16 '%s' "
                     ">/dev/null",
                     f16, f16),
             0);
    CHECK_EQ(host_mkfs(small, 40, 8, "2>/dev/null"), 0);
    struct host_vol hv;
    CHECK_EQ(host_mount(&hv, f16), -ENOENT); /* the MBR reader: not FAT32 */
    struct host_disk d;
    struct fat_volume *vol;
    CHECK_EQ(host_disk_open(&d, f16), 0);
    CHECK_EQ(fat_mount(&d.bd, NULL, &vol), -EINVAL);
    host_disk_close(&d);
    CHECK_EQ(host_mount(&hv, small), -EINVAL);
}

/* Random bytes over the boot sector: refused or mounted, never a crash. */
TEST(fat_mount_survives_random_boot_sectors)
{
    srand(7);
    int mounted = 0;
    for (int run = 0; run < FUZZ_RUNS; run++) {
        struct cow_disk c;
        cow_open(&c);
        int n = 1 + rand() % 8;
        for (int k = 0; k < n; k++) {
            uint8_t b = (uint8_t)rand();
            patch(&c, 0, (uint32_t)(rand() % 90), &b, 1);
        }
        struct fat_volume *vol;
        if (mount_cow(&c, &vol) == 0) {
            mounted++;
            walk(vol, "", 0);
            scribble(vol);
            fat_unmount(vol);
        }
        cow_close(&c);
    }
    printf("    %d of %d damaged boot sectors still mounted\n", mounted,
           FUZZ_RUNS);
}

/* Chains that loop, leave the volume, hit a free cluster or end early. */
TEST(fat_rejects_broken_chains)
{
    struct cow_disk c;
    cow_open(&c);
    uint32_t first = first_cluster(&c, "/big.bin"); /* 40 clusters */
    CHECK(first >= 2);
    uint8_t *buf = malloc(20000);
    static const uint32_t links[] = {0x0FFFFFF0, 0, 0x0FFFFFF8, 1};
    for (size_t i = 0; i < sizeof links / sizeof links[0]; i++) {
        cow_close(&c);
        cow_open(&c);
        uint32_t v = links[i] == 1 ? 100000 + first : links[i];
        set_fat(&c, first + 10, v); /* off the volume, free, early end */
        struct fat_volume *vol;
        CHECK_EQ(mount_cow(&c, &vol), 0);
        struct fat_file *f;
        CHECK_EQ(fat_open(vol, "/big.bin", FAT_O_RDONLY, &f), 0);
        CHECK_EQ(fat_read(f, buf, 20000), 11 * 512); /* up to the break */
        CHECK_EQ(fat_read(f, buf, 20000), -EUCLEAN);
        CHECK_EQ(fat_close(f), 0);
        /* Freeing stops at the bad link; an early end just ends it. */
        CHECK_EQ(fat_unlink(vol, "/big.bin"),
                 links[i] == 0x0FFFFFF8 ? 0 : -EUCLEAN);
        CHECK_EQ(fat_unmount(vol), 0);
    }
    /* A loop back to the start: reads are bounded by the size; freeing
     * the chain meets a freed cluster and stops with -EUCLEAN. */
    cow_close(&c);
    cow_open(&c);
    set_fat(&c, first + 10, first);
    struct fat_volume *vol;
    CHECK_EQ(mount_cow(&c, &vol), 0);
    size_t len;
    free(host_fat_slurp(vol, "/big.bin", 0, &len));
    CHECK_EQ(len, 20000);
    CHECK_EQ(fat_unlink(vol, "/big.bin"), -EUCLEAN);
    CHECK_EQ(fat_truncate(vol, "/dir/a long file name.bin", 0), 0);
    CHECK_EQ(fat_unmount(vol), 0);
    cow_close(&c);
    free(buf);
}

/* Entries whose cluster or size lie outside the volume are -EUCLEAN. */
TEST(fat_rejects_entries_outside_the_volume)
{
    struct cow_disk c;
    cow_open(&c);
    /* The root holds DIR, BIG.BIN: find the short entries by name. */
    uint8_t root[HOST_SECTOR];
    cow_read(&c.base.bd, data_lba, 1, root);
    int big = -1, dir = -1;
    for (int i = 0; i < HOST_SECTOR / 32; i++) {
        if (memcmp(root + i * 32, "BIG     BIN", 11) == 0)
            big = i;
        if (memcmp(root + i * 32, "DIR        ", 11) == 0)
            dir = i;
    }
    CHECK(big >= 0 && dir >= 0);
    if (check_cur_failed)
        return;
    uint16_t hi = 0x0FFF, lo = 0xFFF0;
    patch(&c, data_lba, (uint32_t)big * 32 + 20, &hi, 2);
    patch(&c, data_lba, (uint32_t)big * 32 + 26, &lo, 2);
    patch(&c, data_lba, (uint32_t)dir * 32 + 20, &hi, 2);
    struct fat_volume *vol;
    CHECK_EQ(mount_cow(&c, &vol), 0);
    struct fat_file *f;
    CHECK_EQ(fat_open(vol, "/big.bin", FAT_O_RDONLY, &f), -EUCLEAN);
    CHECK_EQ(fat_open(vol, "/dir", FAT_O_RDONLY, &f), -EUCLEAN);
    struct fat_stat st;
    CHECK_EQ(fat_stat(vol, "/dir/sub", &st), -EUCLEAN);
    CHECK_EQ(fat_unlink(vol, "/big.bin"), 0); /* the entry can still go */
    CHECK_EQ(fat_unmount(vol), 0);
    cow_close(&c);
    /* A size that needs more clusters than the volume has. */
    cow_open(&c);
    patch32(&c, data_lba, (uint32_t)big * 32 + 28, 0xFFFFFFF0);
    CHECK_EQ(mount_cow(&c, &vol), 0);
    CHECK_EQ(fat_open(vol, "/big.bin", FAT_O_RDONLY, &f), -EUCLEAN);
    CHECK_EQ(fat_unmount(vol), 0);
    cow_close(&c);
}

/* A directory whose chain loops ends lookups instead of spinning. */
TEST(fat_directory_loop_ends)
{
    struct cow_disk c;
    cow_open(&c);
    uint32_t root = 2;
    CHECK_EQ(get_fat(&c, root) >= 0x0FFFFFF8, 1);
    set_fat(&c, root, root); /* the root's only cluster points at itself */
    struct fat_volume *vol;
    CHECK_EQ(mount_cow(&c, &vol), 0);
    struct fat_stat st;
    CHECK_EQ(fat_stat(vol, "/big.bin", &st), 0);
    CHECK_EQ(fat_stat(vol, "/missing", &st), -ENOENT);
    walk(vol, "", 0);
    CHECK_EQ(fat_unmount(vol), 0);
    cow_close(&c);
}

/* Wrong FSInfo is corrected; bad FSInfo signatures are ignored. */
TEST(fat_fsinfo_wrong_or_bad)
{
    struct cow_disk c;
    cow_open(&c);
    patch32(&c, 1, 488, 12345); /* free count */
    struct fat_volume *vol;
    CHECK_EQ(mount_cow(&c, &vol), 0);
    struct fat_statfs sf;
    CHECK_EQ(fat_statfs(vol, &sf), 0);
    CHECK(sf.free_clusters > 12345);
    CHECK_EQ(fat_unmount(vol), 0);
    uint8_t s[HOST_SECTOR];
    uint32_t fixed;
    cow_read(&c.base.bd, 1, 1, s);
    memcpy(&fixed, s + 488, 4);
    CHECK_EQ(fixed, sf.free_clusters);
    patch32(&c, 1, 0, 0xDEADBEEF); /* lead signature */
    CHECK_EQ(mount_cow(&c, &vol), 0);
    CHECK_EQ(fat_mkdir(vol, "/still works"), 0);
    CHECK_EQ(fat_unmount(vol), 0);
    cow_close(&c);
}

/*
 * A sane FSInfo count is trusted at mount (the FAT is not read), and a
 * wrong one is corrected lazily: statfs counts, and the next sync writes
 * the exact count. A count larger than the volume is not sane: counted at
 * mount.
 */
TEST(fat_mount_trusts_sane_fsinfo_and_corrects_it_later)
{
    struct cow_disk c;
    struct fat_volume *vol;
    struct fat_statfs sf;
    uint8_t s[HOST_SECTOR];
    uint32_t on_disk;

    cow_open(&c);
    CHECK_EQ(mount_cow(&c, &vol), 0);
    CHECK_EQ(fat_statfs(vol, &sf), 0); /* counts: the truth */
    CHECK_EQ(fat_unmount(vol), 0);
    uint32_t truth = sf.free_clusters;

    patch32(&c, 1, 488, truth - 100); /* sane, but wrong */
    c.base.read_sectors = 0;
    CHECK_EQ(mount_cow(&c, &vol), 0);
    CHECK(c.base.read_sectors < fat_sectors / 4); /* the FAT was not read */
    CHECK_EQ(fat_mkdir(vol, "/lazy"), 0);         /* takes one cluster */
    CHECK_EQ(fat_sync(vol), 0);
    cow_read(&c.base.bd, 1, 1, s);
    memcpy(&on_disk, s + 488, 4);
    CHECK_EQ(on_disk, truth - 1);
    CHECK_EQ(fat_statfs(vol, &sf), 0);
    CHECK_EQ(sf.free_clusters, truth - 1);
    CHECK_EQ(fat_unmount(vol), 0);

    patch32(&c, 1, 488, 0xFFFFFFF0u); /* more than the volume has */
    c.base.read_sectors = 0;
    CHECK_EQ(mount_cow(&c, &vol), 0);
    CHECK(c.base.read_sectors >= fat_sectors); /* counted at mount */
    CHECK_EQ(fat_statfs(vol, &sf), 0);
    CHECK_EQ(sf.free_clusters, truth - 1);
    CHECK_EQ(fat_unmount(vol), 0);
    cow_close(&c);
}

/* FSInfo says no cluster is free, wrongly: an allocation counts first. */
TEST(fat_wrong_zero_fsinfo_does_not_refuse_writes)
{
    struct cow_disk c;
    struct fat_volume *vol;
    cow_open(&c);
    patch32(&c, 1, 488, 0);
    CHECK_EQ(mount_cow(&c, &vol), 0);
    CHECK_EQ(fat_mkdir(vol, "/room"), 0);
    struct fat_statfs sf;
    CHECK_EQ(fat_statfs(vol, &sf), 0);
    CHECK(sf.free_clusters > 1000);
    CHECK_EQ(fat_unmount(vol), 0);
    cow_close(&c);
}

/* Random bytes sprayed over FAT and directory sectors: no crash, no hang. */
TEST(fat_survives_sprayed_metadata)
{
    srand(11);
    for (int run = 0; run < SPRAY_RUNS; run++) {
        struct cow_disk c;
        cow_open(&c);
        int n = 1 + rand() % 40;
        for (int k = 0; k < n; k++) {
            uint64_t lba = rand() % 2 ? RESERVED + (uint32_t)(rand() % 2)
                                      : data_lba + (uint32_t)(rand() % 120);
            uint8_t b = (uint8_t)rand();
            patch(&c, lba, (uint32_t)(rand() % HOST_SECTOR), &b, 1);
        }
        struct fat_volume *vol;
        if (mount_cow(&c, &vol) == 0) {
            walk(vol, "", 0);
            scribble(vol);
            walk(vol, "", 0);
            fat_unmount(vol);
        }
        cow_close(&c);
    }
}

/* Device errors are passed up as -EIO, and nothing crashes. */
TEST(fat_device_errors_are_eio)
{
    struct cow_disk c;
    cow_open(&c);
    struct fat_volume *vol;
    c.fail_reads = true;
    CHECK_EQ(mount_cow(&c, &vol), -EIO);
    c.fail_reads = false;
    CHECK_EQ(mount_cow(&c, &vol), 0);
    c.base.fail_after_writes = 1;
    c.base.writes = 1;
    struct fat_file *f;
    CHECK_EQ(fat_open(vol, "/w", FAT_O_WRONLY | FAT_O_CREAT, &f), 0);
    CHECK_EQ(fat_write(f, "x", 1), 1);
    CHECK_EQ(fat_close(f), -EIO);
    uint8_t *buf = malloc(65536);
    CHECK_EQ(fat_open(vol, "/big2", FAT_O_WRONLY | FAT_O_CREAT, &f), 0);
    /* The data waits in the page cache: the failure shows at the sync. */
    CHECK_EQ(fat_write(f, buf, 65536), 65536);
    CHECK_EQ(fat_close(f), -EIO);
    c.fail_reads = true;
    struct fat_stat st;
    CHECK(fat_stat(vol, "/dir/sub/small", &st) < 0);
    c.fail_reads = false;
    c.base.fail_after_writes = 0;
    /* The first failed write made the volume read-only, for good. */
    CHECK_EQ(fat_writable(vol), -EROFS);
    CHECK_EQ(fat_unmount(vol), -EIO);
    free(buf);
    cow_close(&c);
}

/* True if both FAT copies on the overlay hold the same bytes. */
static bool fats_agree(struct cow_disk *c)
{
    uint8_t a[HOST_SECTOR], b[HOST_SECTOR];
    for (uint32_t s = 0; s < fat_sectors; s++) {
        cow_read(&c->base.bd, RESERVED + s, 1, a);
        cow_read(&c->base.bd, RESERVED + fat_sectors + s, 1, b);
        if (memcmp(a, b, sizeof a) != 0)
            return false;
    }
    return true;
}

/*
 * Every write to the first FAT fails, as in the blkdebug scenario of #16:
 * the volume turns read-only at the first failure and nothing more reaches
 * the disk, so no directory entry points at clusters the FAT calls free,
 * the FAT copies still agree, and the files already there stay readable.
 */
TEST(fat_failed_fat_write_writes_nothing_after_it)
{
    struct cow_disk c;
    cow_open(&c);
    struct fat_volume *vol;
    CHECK_EQ(mount_cow(&c, &vol), 0);
    c.bad_from = RESERVED;
    c.bad_to = RESERVED + fat_sectors;
    c.bad_writes = true;
    static uint8_t data[50000];
    memset(data, 'd', sizeof data);
    struct fat_file *f;
    CHECK_EQ(fat_open(vol, "/new", FAT_O_WRONLY | FAT_O_CREAT, &f), 0);
    CHECK_EQ(fat_write(f, data, sizeof data), (int64_t)sizeof data);
    /*
     * The data sits in the page cache until close, which writes it back
     * and then the FAT: the data may reach the disk (into clusters the
     * disk's FAT still calls free, which loses nothing); nothing may
     * follow the refused FAT write.
     */
    CHECK_EQ(fat_close(f), -EIO); /* the sync hit the FAT */
    CHECK(c.refused);
    CHECK_EQ(c.writes_after_refusal, 0u);
    CHECK_EQ(fat_writable(vol), -EROFS);
    CHECK_EQ(fat_error(vol), -EIO);
    /* The entry goes in the cache, but the sync that must come before
     * freeing its clusters fails: nothing is written, nothing freed. */
    CHECK_EQ(fat_unlink(vol, "/big.bin"), -EIO);
    CHECK_EQ(fat_sync(vol), -EIO);
    CHECK_EQ(c.writes_after_refusal, 0u);
    struct fat_stat st;
    CHECK_EQ(fat_stat(vol, "/dir/sub/small", &st), 0);
    CHECK_EQ(st.size, 20000u);
    CHECK_EQ(fat_unmount(vol), -EIO);
    c.bad_writes = false;
    CHECK(fats_agree(&c));
    CHECK_EQ(mount_cow(&c, &vol), 0);
    CHECK_EQ(fat_stat(vol, "/new", &st), -ENOENT);
    CHECK_EQ(fat_stat(vol, "/big.bin", &st), 0);
    CHECK_EQ(fat_stat(vol, "/dir/a long file name.bin", &st), 0);
    CHECK_EQ(fat_unmount(vol), 0);
    cow_close(&c);
}

/*
 * An unreadable first FAT: every FAT sector comes from the second copy and
 * the volume stays writable; with both copies unreadable it mounts, but
 * read-only.
 */
TEST(fat_bad_fat_sector_is_read_from_the_other_copy)
{
    struct cow_disk c;
    cow_open(&c);
    c.bad_from = RESERVED;
    c.bad_to = RESERVED + fat_sectors;
    c.bad_reads = true;
    struct fat_volume *vol;
    CHECK_EQ(mount_cow(&c, &vol), 0);
    CHECK_EQ(fat_writable(vol), 0);
    struct fat_file *f;
    static uint8_t buf[20000];
    CHECK_EQ(fat_open(vol, "/dir/sub/small", FAT_O_RDONLY, &f), 0);
    CHECK_EQ(fat_read(f, buf, sizeof buf), (int64_t)sizeof buf);
    CHECK_EQ(fat_close(f), 0);
    struct fat_statfs sf;
    CHECK_EQ(fat_statfs(vol, &sf), 0); /* counts over the whole FAT */
    CHECK_EQ(fat_unmount(vol), 0);
    c.bad_to = RESERVED + 2 * fat_sectors; /* both copies */
    CHECK_EQ(mount_cow(&c, &vol), 0);
    CHECK_EQ(fat_writable(vol), -EROFS);
    CHECK_EQ(fat_unmount(vol), -EIO);
    cow_close(&c);
}

/* FAT[1]'s clean bit: cleared by the first change, set by a clean unmount. */
TEST(fat_clean_bit_follows_mount_and_unmount)
{
    struct cow_disk c;
    cow_open(&c);
    const uint32_t clean = 0x08000000;
    CHECK(get_fat(&c, 1) & clean); /* mkfs.fat leaves it set */
    struct fat_volume *vol;
    CHECK_EQ(mount_cow(&c, &vol), 0);
    CHECK(!fat_was_dirty(vol));
    CHECK_EQ(fat_mark_dirty(vol), 0);
    CHECK_EQ(fat_mkdir(vol, "/x"), 0);
    CHECK_EQ(fat_sync(vol), 0);
    CHECK_EQ(get_fat(&c, 1) & clean, 0u); /* a power cut now: dirty */
    struct fat_volume *again;
    CHECK_EQ(mount_cow(&c, &again), 0);
    CHECK(fat_was_dirty(again));
    CHECK_EQ(fat_unmount(again), 0);
    CHECK_EQ(fat_unmount(vol), 0); /* clean: the bit comes back */
    CHECK(get_fat(&c, 1) & clean);
    CHECK(fats_agree(&c));
    CHECK_EQ(mount_cow(&c, &vol), 0);
    CHECK(!fat_was_dirty(vol));
    CHECK_EQ(fat_unmount(vol), 0);
    cow_close(&c);
}

int main(void)
{
    host_init("corrupt");
    if (!make_good_image()) {
        fprintf(stderr, "could not make the image\n");
        return host_finish(1);
    }
    RUN(fat_mount_refuses_bad_boot_sectors);
    RUN(fat_mount_refuses_fat16_and_small_fat32);
    RUN(fat_mount_survives_random_boot_sectors);
    RUN(fat_rejects_broken_chains);
    RUN(fat_rejects_entries_outside_the_volume);
    RUN(fat_directory_loop_ends);
    RUN(fat_fsinfo_wrong_or_bad);
    RUN(fat_mount_trusts_sane_fsinfo_and_corrects_it_later);
    RUN(fat_wrong_zero_fsinfo_does_not_refuse_writes);
    RUN(fat_survives_sprayed_metadata);
    RUN(fat_device_errors_are_eio);
    RUN(fat_failed_fat_write_writes_nothing_after_it);
    RUN(fat_bad_fat_sector_is_read_from_the_other_copy);
    RUN(fat_clean_bit_follows_mount_and_unmount);
    return host_finish(check_summary());
}
