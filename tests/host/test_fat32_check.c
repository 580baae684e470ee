/*
 * Host tests: the check at mount of a volume not cleanly unmounted.
 *
 * Each test writes files with our own code on a fresh mkfs.fat image,
 * unmounts, then edits the image's bytes the way a power cut would leave
 * them (or worse): FAT[1]'s clean bit cleared, a lost chain in the first
 * FAT only (so the copies differ too), a file's chain one cluster longer
 * than its size, an empty file still naming a cluster, a stale FSInfo free
 * count. The next mount must repair all of it: `fsck.fat -n` then finds
 * nothing, the FAT copies are equal, the clean bit is set and every file
 * reads back whole. Damage a cut cannot leave (a cluster in two chains, a
 * chain through a free cluster) must be refused read-only with the image
 * unchanged to the byte. And the repair must itself survive a cut: with
 * the disk refusing every write after the n-th, for every n, the next
 * mount repairs what is left to a clean volume. Last, a long chain freed
 * in bounded steps leaves only lost clusters between two steps.
 *
 * Portable: host only; links the portable kernel files with
 * tests/host/portable_host.c.
 * See: docs/storage.md
 */
#include "fs/fat32.h"

#include <ember/errno.h>
#include "check.h"
#include "fat_host.h"

#define SMALL_MIB   40
#define CLEAN_BIT   0x08000000u
#define FAT_EOC     0x0FFFFFFFu
#define ENTRY_BYTES 32
#define A_BYTES     1000 /* two 512-byte clusters */
#define B_BYTES     1500 /* three */
#define MAX_CUTS    64

static char img[600];

/* The image's layout, from its boot sector. */
struct layout {
    uint32_t reserved, fats, fat_size, root, spc;
};

static struct layout layout_of(int fd)
{
    uint8_t b[HOST_SECTOR];
    struct layout l = {0};
    if (pread(fd, b, sizeof b, 0) != (ssize_t)sizeof b)
        return l;
    l.reserved = b[14] | b[15] << 8;
    l.fats = b[16];
    memcpy(&l.fat_size, b + 36, 4);
    memcpy(&l.root, b + 44, 4);
    l.spc = b[13];
    return l;
}

static off_t fat_off(const struct layout *l, uint32_t copy, uint32_t c)
{
    return (off_t)(l->reserved + copy * l->fat_size) * HOST_SECTOR + c * 4;
}

static uint32_t get_fat(int fd, const struct layout *l, uint32_t copy,
                        uint32_t c)
{
    uint32_t v = 0;
    if (pread(fd, &v, 4, fat_off(l, copy, c)) != 4)
        return UINT32_MAX;
    return v;
}

/* Sets entry c in copies [from, to). */
static void set_fat(int fd, const struct layout *l, uint32_t from, uint32_t to,
                    uint32_t c, uint32_t v)
{
    for (uint32_t k = from; k < to; k++)
        if (pwrite(fd, &v, 4, fat_off(l, k, c)) != 4)
            fprintf(stderr, "pwrite of FAT entry %u failed\n", c);
}

/* Clears FAT[1]'s clean bit in every copy: "not cleanly unmounted". */
static void make_dirty(int fd, const struct layout *l)
{
    set_fat(fd, l, 0, l->fats, 1, get_fat(fd, l, 0, 1) & ~CLEAN_BIT);
}

/* Where the root's short entry named `name83` (11 bytes) sits, or 0. */
static off_t root_entry(int fd, const struct layout *l, const char *name83)
{
    off_t data = (off_t)(l->reserved + l->fats * l->fat_size) * HOST_SECTOR;
    off_t root = data + (off_t)(l->root - 2) * l->spc * HOST_SECTOR;
    uint8_t e[ENTRY_BYTES];
    for (off_t at = root; at < root + l->spc * HOST_SECTOR; at += ENTRY_BYTES)
        if (pread(fd, e, sizeof e, at) == (ssize_t)sizeof e &&
            memcmp(e, name83, 11) == 0)
            return at;
    return 0;
}

/* The first cluster of root entry name83. */
static uint32_t first_cluster(int fd, const struct layout *l,
                              const char *name83)
{
    off_t at = root_entry(fd, l, name83);
    uint16_t hi = 0, lo = 0;
    if (at == 0 || pread(fd, &hi, 2, at + 20) != 2 ||
        pread(fd, &lo, 2, at + 26) != 2)
        return 0;
    return (uint32_t)hi << 16 | lo;
}

/* A free cluster at or after `from`, in the first FAT. */
static uint32_t free_after(int fd, const struct layout *l, uint32_t from)
{
    for (uint32_t c = from;; c++)
        if ((get_fat(fd, l, 0, c) & 0x0FFFFFFF) == 0)
            return c;
}

static uint8_t a_data[A_BYTES], b_data[B_BYTES];

/* A fresh image with A.BIN (2 clusters), B.BIN (3) and an empty E.BIN. */
static bool make_image(void)
{
    snprintf(img, sizeof img, "%s", host_path("check.img"));
    if (host_mkfs(img, SMALL_MIB, 1, "") != 0)
        return false;
    struct host_vol hv;
    if (host_mount(&hv, img) < 0)
        return false;
    host_pattern(a_data, sizeof a_data, 1, 0);
    host_pattern(b_data, sizeof b_data, 2, 0);
    bool ok = host_fat_put(hv.vol, "/a.bin", a_data, sizeof a_data) == 0 &&
              host_fat_put(hv.vol, "/b.bin", b_data, sizeof b_data) == 0 &&
              host_fat_put(hv.vol, "/e.bin", NULL, 0) == 0 &&
              fat_mkdir(hv.vol, "/sub") == 0 &&
              host_fat_put(hv.vol, "/sub/c.bin", b_data, 700) == 0;
    return host_unmount(&hv) == 0 && ok;
}

/* Every cut-class damage at once, on the image's bytes. */
static void cut_damage(void)
{
    int fd = open(img, O_RDWR);
    struct layout l = layout_of(fd);
    make_dirty(fd, &l);
    /* a lost chain of two clusters, in the first FAT only */
    uint32_t x = free_after(fd, &l, 100);
    set_fat(fd, &l, 0, 1, x, x + 1);
    set_fat(fd, &l, 0, 1, x + 1, FAT_EOC);
    /* a.bin one cluster longer than its size */
    uint32_t a = first_cluster(fd, &l, "A       BIN");
    uint32_t a2 = get_fat(fd, &l, 0, a) & 0x0FFFFFFF;
    uint32_t y = free_after(fd, &l, x + 2);
    set_fat(fd, &l, 0, l.fats, a2, y);
    set_fat(fd, &l, 0, l.fats, y, FAT_EOC);
    /* e.bin empty but naming a cluster */
    uint32_t z = free_after(fd, &l, y + 1);
    set_fat(fd, &l, 0, l.fats, z, FAT_EOC);
    off_t e = root_entry(fd, &l, "E       BIN");
    uint16_t lo = (uint16_t)z, hi = (uint16_t)(z >> 16);
    if (e == 0 || pwrite(fd, &hi, 2, e + 20) != 2 ||
        pwrite(fd, &lo, 2, e + 26) != 2)
        fprintf(stderr, "could not find e.bin\n");
    /* FSInfo's free count off by 7 */
    uint32_t free_count;
    if (pread(fd, &free_count, 4, HOST_SECTOR + 488) == 4) {
        free_count -= 7;
        if (pwrite(fd, &free_count, 4, HOST_SECTOR + 488) != 4)
            fprintf(stderr, "pwrite of FSInfo failed\n");
    }
    close(fd);
}

static bool clean_bit_set(void)
{
    int fd = open(img, O_RDONLY);
    struct layout l = layout_of(fd);
    bool set = true;
    for (uint32_t k = 0; k < l.fats; k++)
        set = set && (get_fat(fd, &l, k, 1) & CLEAN_BIT);
    close(fd);
    return set;
}

static bool files_whole(struct fat_volume *vol)
{
    return host_fat_eq(vol, "/a.bin", a_data, sizeof a_data) &&
           host_fat_eq(vol, "/b.bin", b_data, sizeof b_data) &&
           host_fat_eq(vol, "/e.bin", a_data, 0) &&
           host_fat_eq(vol, "/sub/c.bin", b_data, 700);
}

/*
 * Lost clusters, differing FATs, a long chain, an empty file with a
 * cluster and a wrong free count: repaired at mount, before any write of
 * ours, and the volume is marked clean on the disk at once.
 */
TEST(fat_check_repairs_what_a_cut_leaves)
{
    CHECK(make_image());
    cut_damage();
    CHECK(!host_fsck_clean(img, false)); /* the damage is there */
    struct host_vol hv;
    CHECK_EQ(host_mount(&hv, img), 0);
    if (check_cur_failed)
        return;
    CHECK(fat_was_dirty(hv.vol));
    CHECK_EQ(fat_writable(hv.vol), 0);
    CHECK(clean_bit_set());
    CHECK(host_fats_equal(img, 0));
    CHECK(host_fsck_clean(img, false)); /* repaired before unmount */
    CHECK(files_whole(hv.vol));
    struct fat_statfs st;
    CHECK_EQ(fat_statfs(hv.vol, &st), 0);
    CHECK(st.free_exact);
    /* writable again: a change, then a clean unmount */
    CHECK_EQ(host_fat_put(hv.vol, "/new.bin", a_data, 10), 0);
    CHECK_EQ(host_unmount(&hv), 0);
    CHECK(clean_bit_set());
    CHECK(host_fsck_clean(img, false));
}

/*
 * A fresh image, marked dirty and damaged by edit(); the mount must refuse
 * it read-only and leave its bytes unchanged.
 */
static void expect_refused(void (*edit)(int fd, const struct layout *l))
{
    CHECK(make_image());
    int fd = open(img, O_RDWR);
    struct layout l = layout_of(fd);
    make_dirty(fd, &l);
    edit(fd, &l);
    close(fd);
    size_t before_len, after_len;
    uint8_t *before = host_slurp(img, &before_len);
    struct host_vol hv;
    CHECK_EQ(host_mount(&hv, img), 0);
    if (check_cur_failed) {
        free(before);
        return;
    }
    CHECK(fat_was_dirty(hv.vol));
    CHECK_EQ(fat_writable(hv.vol), -EROFS);
    CHECK(host_fat_eq(hv.vol, "/sub/c.bin", b_data, 700)); /* readable */
    CHECK(host_fat_put(hv.vol, "/new.bin", a_data, 10) < 0);
    CHECK_EQ(host_unmount(&hv), -EROFS); /* the change it could not write */
    uint8_t *after = host_slurp(img, &after_len);
    CHECK(before && after && before_len == after_len &&
          memcmp(before, after, before_len) == 0);
    free(before);
    free(after);
}

/* b.bin's first cluster now leads into a.bin's second: two chains share it. */
static void cross_link(int fd, const struct layout *l)
{
    uint32_t a = first_cluster(fd, l, "A       BIN");
    uint32_t b = first_cluster(fd, l, "B       BIN");
    set_fat(fd, l, 0, l->fats, b, get_fat(fd, l, 0, a) & 0x0FFFFFFF);
}

TEST(fat_check_refuses_a_cross_link)
{
    expect_refused(cross_link);
}

/* A chain through a free cluster: b.bin's second cluster freed. */
static void free_in_chain(int fd, const struct layout *l)
{
    uint32_t b = first_cluster(fd, l, "B       BIN");
    set_fat(fd, l, 0, l->fats, get_fat(fd, l, 0, b) & 0x0FFFFFFF, 0);
}

TEST(fat_check_refuses_a_chain_through_a_free_cluster)
{
    expect_refused(free_in_chain);
}

/*
 * A directory chain past FAT's 65,536 entries (4,097 clusters of 512
 * bytes): entries past the limit are never read, so the check cannot
 * know what they name, and refuses rather than free it.
 */
static void overlong_dir(int fd, const struct layout *l)
{
    uint32_t c = first_cluster(fd, l, "SUB        ");
    CHECK(c != 0);
    uint32_t next = free_after(fd, l, 1000);
    for (int i = 0; i < 4096 && c != 0; i++, c = next++)
        set_fat(fd, l, 0, l->fats, c, next);
    set_fat(fd, l, 0, l->fats, c, FAT_EOC);
}

TEST(fat_check_refuses_an_overlong_directory)
{
    expect_refused(overlong_dir);
}

/*
 * A cut during the repair: the disk takes the first n writes and refuses
 * the rest, for every n until a repair runs whole. The volume must still
 * be marked dirty after each cut, and the next mount must repair it.
 */
TEST(fat_check_repair_survives_a_cut)
{
    CHECK(make_image());
    cut_damage();
    const char *damaged = host_path("damaged.img");
    CHECK_EQ(host_sh("cp '%s' '%s'", img, damaged), 0);
    uint64_t n;
    for (n = 1; n < MAX_CUTS && !check_cur_failed; n++) {
        CHECK_EQ(host_sh("cp '%s' '%s'", damaged, img), 0);
        struct host_disk d;
        struct fat_volume *vol;
        CHECK_EQ(host_disk_open(&d, img), 0);
        d.fail_after_writes = n;
        struct fat_mount_opts opts = {.now = host_clock};
        CHECK_EQ(fat_mount(&d.bd, &opts, &vol), 0);
        bool whole = fat_writable(vol) == 0;
        fat_unmount(vol);
        host_disk_close(&d);
        if (whole)
            break; /* n writes were enough: the repair ran to its end */
        CHECK(!clean_bit_set());
        struct host_vol hv;
        CHECK_EQ(host_mount(&hv, img), 0);
        CHECK_EQ(fat_writable(hv.vol), 0);
        CHECK(files_whole(hv.vol));
        CHECK_EQ(host_unmount(&hv), 0);
        CHECK(host_fsck_clean(img, false));
    }
    CHECK(n > 2 && n < MAX_CUTS);
}

/* fsck.fat -n finds lost clusters (*lost) and the free count, no more. */
static bool fsck_only_lost(const char *path, bool *lost)
{
    static const char *const ok[] = {
        "fsck.fat ",      "Reclaimed ", "Free cluster summary wrong",
        "  Auto-correct", "Leaving ",   "rc=",
    };
    char *out =
        host_sh_out("/usr/sbin/fsck.fat -n '%s' 2>&1; echo rc=$?", path);
    bool good = true;
    for (char *line = strtok(out, "\n"); line; line = strtok(NULL, "\n")) {
        *lost = *lost || strncmp(line, "Reclaimed ", 10) == 0;
        bool known = strstr(line, " files, ") != NULL;
        for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++)
            known = known || strncmp(line, ok[i], strlen(ok[i])) == 0;
        if (!known) {
            fprintf(stderr, "fsck.fat -n: %s\n", line);
            good = false;
        }
    }
    free(out);
    return good;
}

/*
 * With a free step set, unlinking a long file frees one step in the call
 * and queues the rest; each fat_free_pending() frees at most its budget,
 * and a sync between steps leaves only lost clusters (a cut there loses
 * nothing). At the end the volume is clean and the space all back.
 */
TEST(fat_long_chain_freed_in_steps)
{
    enum { STEP = 256, FILE_BYTES = 3 << 20 }; /* 6,144 clusters */
    snprintf(img, sizeof img, "%s", host_path("steps.img"));
    CHECK_EQ(host_mkfs(img, SMALL_MIB, 1, ""), 0);
    struct host_disk d;
    struct fat_volume *vol;
    CHECK_EQ(host_disk_open(&d, img), 0);
    struct fat_mount_opts opts = {.now = host_clock, .free_step = STEP};
    CHECK_EQ(fat_mount(&d.bd, &opts, &vol), 0);
    if (check_cur_failed)
        return;
    uint8_t *data = malloc(FILE_BYTES);
    host_pattern(data, FILE_BYTES, 3, 0);
    CHECK_EQ(host_fat_put(vol, "/big.bin", data, FILE_BYTES), 0);
    free(data);
    struct fat_statfs st0, st;
    CHECK_EQ(fat_statfs(vol, &st0), 0);
    uint64_t freed0 = fat_clusters_freed(vol);
    CHECK_EQ(fat_unlink(vol, "/big.bin"), 0);
    CHECK_EQ(fat_clusters_freed(vol) - freed0, STEP);
    CHECK_EQ(fat_sync(vol), 0); /* the state between two steps */
    bool lost = false;
    CHECK(fsck_only_lost(img, &lost));
    CHECK(lost); /* the rest of the chain: allocated, named by nothing */
    uint32_t steps = 0;
    for (;;) {
        uint64_t before = fat_clusters_freed(vol);
        int64_t left = fat_free_pending(vol, STEP);
        CHECK(left >= 0);
        CHECK(fat_clusters_freed(vol) - before <= STEP);
        steps++;
        if (left <= 0 || steps > 100)
            break;
    }
    CHECK_EQ(steps, FILE_BYTES / HOST_SECTOR / STEP - 1);
    CHECK_EQ(fat_clusters_freed(vol) - freed0, FILE_BYTES / HOST_SECTOR);
    CHECK_EQ(fat_statfs(vol, &st), 0);
    CHECK_EQ(st.free_clusters, st0.free_clusters + FILE_BYTES / HOST_SECTOR);
    CHECK_EQ(fat_unmount(vol), 0);
    host_disk_close(&d);
    CHECK(host_fsck_clean(img, false));
}

int main(void)
{
    host_init("check");
    RUN(fat_check_repairs_what_a_cut_leaves);
    RUN(fat_check_refuses_a_cross_link);
    RUN(fat_check_refuses_a_chain_through_a_free_cluster);
    RUN(fat_check_refuses_an_overlong_directory);
    RUN(fat_check_repair_survives_a_cut);
    RUN(fat_long_chain_freed_in_steps);
    return host_finish(check_summary());
}
