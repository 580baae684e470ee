/*
 * Host tests: names on disk exactly as mtools writes them.
 *
 * The same list of names is created once by `mcopy` and once by our code,
 * each on a fresh volume, and the root directories are compared slot by
 * slot: long-name slots byte for byte, short entries by their 8.3 name,
 * attributes and case bits (byte 12). That pins down when a name gets a
 * long name, which alias it gets (MAKEFILE, README~1.TXT, ~2 after ~1),
 * and that lower-case 8.3 names are stored upper case with case bits. Then
 * limits and bad names, Unicode round trips, and a directory grown across
 * many clusters, with listings compared against `mdir`.
 *
 * Portable: host only; links the portable kernel files with
 * tests/host/portable_host.c.
 * See: docs/storage.md
 */
#include "fs/fat32.h"

#include <ember/errno.h>
#include "check.h"
#include "fat_host.h"

#define SLOT       32
#define ROOT_SLOTS 128 /* one 4 KiB cluster */
#define MANY       300

static const char *const names[] = {
    "readme.txt",
    "README2.txt",
    "readme3.TXT",
    "Readme4.txt",
    "sh",
    "SH2",
    "Makefile",
    "ab~1",
    "a b",
    "longfilename.txt",
    ".hidden",
    "abc.defg",
    "a.b.c",
    "x+y",
    "read me.txt",
    "verylongname one.txt",
    "verylongname two.txt",
    "verylongname three.txt",
    "x[1].c",
    "Mixed.TXT",
    "abcdefghijklm",
    "abcdefghijklmnopqrstuvwxyz",
    "a",
    "A1",
    "noext",
    "UPPER.C",
    "lower.c",
    "1234567890.123456",
    "$dollar.%%",
    "MAKEFILE2",
    "name with   spaces.txt",
    "Caps Lock.Txt",
    "tail~1.txt",
};
#define NNAMES (sizeof names / sizeof names[0])

/* The first cluster of the root directory, read from the image file. */
static uint8_t *root_slots(const char *path)
{
    uint8_t bpb[512];
    FILE *f = fopen(path, "rb");
    if (f == NULL || fread(bpb, 1, sizeof bpb, f) != sizeof bpb)
        return NULL;
    uint32_t reserved = bpb[14] | bpb[15] << 8;
    uint32_t fat_size = bpb[36] | bpb[37] << 8 | bpb[38] << 16;
    uint64_t data = (uint64_t)(reserved + bpb[16] * fat_size) * HOST_SECTOR;
    uint8_t *buf = malloc(ROOT_SLOTS * SLOT);
    fseek(f, (long)data, SEEK_SET);
    if (fread(buf, 1, ROOT_SLOTS * SLOT, f) != ROOT_SLOTS * SLOT)
        memset(buf, 0, ROOT_SLOTS * SLOT);
    fclose(f);
    return buf;
}

static void dump_slot(const char *who, int i, const uint8_t *s)
{
    fprintf(stderr, "  %s slot %3d:", who, i);
    for (int k = 0; k < 13; k++)
        fprintf(stderr, " %02x", s[k]);
    fprintf(stderr, "  '%.11s'\n", s[11] == 0x0F ? "" : (const char *)s);
}

/* Long-name slots equal; short entries equal in name, attributes, case. */
static bool slots_match(const uint8_t *a, const uint8_t *b)
{
    bool ok = true;
    for (int i = 0; i < ROOT_SLOTS && (a[i * SLOT] || b[i * SLOT]); i++) {
        const uint8_t *x = a + i * SLOT, *y = b + i * SLOT;
        size_t n = x[11] == 0x0F ? SLOT : 13;
        if (memcmp(x, y, n) != 0) {
            dump_slot("mtools", i, x);
            dump_slot("ours  ", i, y);
            ok = false;
        }
    }
    return ok;
}

/* Every name of the list gets the same slots from us as from mcopy. */
TEST(fat_names_are_stored_as_mtools_stores_them)
{
    const char *theirs = host_path("names-mtools.img");
    const char *ours = host_path("names-ours.img");
    const char *one = host_path("one-byte");
    CHECK_EQ(host_mkfs(theirs, 272, 8, ""), 0);
    CHECK_EQ(host_mkfs(ours, 272, 8, ""), 0);
    CHECK_EQ(host_sh("printf x > '%s'", one), 0);
    for (size_t i = 0; i < NNAMES; i++)
        CHECK_EQ(host_sh("mcopy -i '%s' '%s' '::%s'", theirs, one, names[i]),
                 0);
    struct host_vol hv;
    CHECK_EQ(host_mount(&hv, ours), 0);
    if (check_cur_failed)
        return;
    for (size_t i = 0; i < NNAMES; i++)
        CHECK_EQ(host_fat_put(hv.vol, names[i], (const uint8_t *)"x", 1), 0);
    struct host_listing *l = malloc(sizeof *l), *m = malloc(sizeof *m);
    CHECK_EQ(host_fat_list(hv.vol, "/", l), 0);
    CHECK_EQ(host_unmount(&hv), 0);
    uint8_t *a = root_slots(theirs), *b = root_slots(ours);
    CHECK(a && b && slots_match(a, b));
    host_mdir(ours, "/", m);
    CHECK(host_listing_eq(l, m, true));
    for (size_t i = 0; i < NNAMES && (size_t)l->n == NNAMES; i++)
        CHECK(strcmp(l->names[i], names[i]) == 0);
    CHECK(host_fsck_clean(ours, false));
    free(a);
    free(b);
    free(l);
    free(m);
}

/* 255 UTF-16 units fit, 256 do not; reserved characters are refused. */
TEST(fat_name_limits_and_bad_names)
{
    const char *path = host_path("limits.img");
    CHECK_EQ(host_mkfs(path, 40, 1, ""), 0);
    struct host_vol hv;
    CHECK_EQ(host_mount(&hv, path), 0);
    if (check_cur_failed)
        return;
    char name[300];
    memset(name, 'n', 256);
    name[0] = '/';
    name[256] = '\0'; /* "/" + 255 characters */
    CHECK_EQ(host_fat_put(hv.vol, name, (const uint8_t *)"x", 1), 0);
    struct fat_stat st;
    CHECK_EQ(fat_stat(hv.vol, name, &st), 0);
    name[256] = 'n';
    name[257] = '\0';
    CHECK_EQ(host_fat_put(hv.vol, name, (const uint8_t *)"x", 1),
             -ENAMETOOLONG);
    static const char *const bad[] = {
        "/a*b",       "/a?",        "/a:b",      "/a<b",
        "/a>b",       "/a|b",       "/a\"b",     "/a\\b",
        "/trailing.", "/trailing ", "/ctrl\x01", "/bad\xff utf8",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        CHECK_EQ(host_fat_put(hv.vol, bad[i], (const uint8_t *)"x", 1),
                 -EINVAL);
    CHECK_EQ(fat_mkdir(hv.vol, "/."), -EEXIST);
    /* Unicode survives the trip through UTF-16, even outside the BMP
     * (which mtools cannot spell, so only the BMP name is checked there). */
    const char *uni = "/Ünïcödé файл.txt", *astral = "/smile 😀.txt";
    CHECK_EQ(host_fat_put(hv.vol, uni, (const uint8_t *)"u", 1), 0);
    CHECK_EQ(host_fat_put(hv.vol, astral, (const uint8_t *)"s", 1), 0);
    struct host_listing *l = malloc(sizeof *l);
    CHECK_EQ(host_fat_list(hv.vol, "/", l), 0);
    CHECK_EQ(l->n, 3);
    CHECK(l->n == 3 && strcmp(l->names[1], uni + 1) == 0);
    CHECK(l->n == 3 && strcmp(l->names[2], astral + 1) == 0);
    CHECK_EQ(fat_stat(hv.vol, "/üNÏCÖDÉ файл.txt", &st), -ENOENT);
    CHECK_EQ(fat_stat(hv.vol, "/Ünïcödé файл.TXT", &st), 0);
    CHECK_EQ(fat_stat(hv.vol, "/SMILE 😀.TXT", &st), 0);
    free(l);
    CHECK_EQ(host_unmount(&hv), 0);
    CHECK(host_mread_eq(path, uni, (const uint8_t *)"u", 1));
    CHECK(host_fsck_clean(path, false));
}

/*
 * A directory grown over many 512-byte clusters (16 slots each), thinned
 * out and refilled, still lists as `mdir` lists it.
 */
TEST(fat_directory_grows_and_reuses_slots)
{
    const char *path = host_path("many.img");
    CHECK_EQ(host_mkfs(path, 40, 1, ""), 0);
    struct host_vol hv;
    CHECK_EQ(host_mount(&hv, path), 0);
    if (check_cur_failed)
        return;
    CHECK_EQ(fat_mkdir(hv.vol, "/many"), 0);
    char p[128];
    for (int i = 0; i < MANY; i++) {
        snprintf(p, sizeof p, "/many/a file with a long name %03d.txt", i);
        CHECK_EQ(host_fat_put(hv.vol, p, (const uint8_t *)p, strlen(p)), 0);
    }
    for (int i = 0; i < MANY; i += 2) {
        snprintf(p, sizeof p, "/many/a file with a long name %03d.txt", i);
        CHECK_EQ(fat_unlink(hv.vol, p), 0);
    }
    for (int i = 0; i < MANY / 3; i++) {
        snprintf(p, sizeof p, "/many/f%d.c", i);
        CHECK_EQ(host_fat_put(hv.vol, p, (const uint8_t *)p, strlen(p)), 0);
    }
    struct host_listing *l = malloc(sizeof *l), *m = malloc(sizeof *m);
    CHECK_EQ(host_fat_list(hv.vol, "/many", l), 0);
    CHECK_EQ(l->n, 2 + MANY / 2 + MANY / 3);
    CHECK_EQ(host_unmount(&hv), 0);
    host_mdir(path, "/many", m);
    CHECK(host_listing_eq(l, m, true));
    const char *last = "/many/a file with a long name 299.txt";
    CHECK(host_mread_eq(path, last, (const uint8_t *)last, strlen(last)));
    CHECK(host_fsck_clean(path, false));
    free(l);
    free(m);
}

int main(void)
{
    host_init("names");
    RUN(fat_names_are_stored_as_mtools_stores_them);
    RUN(fat_name_limits_and_bad_names);
    RUN(fat_directory_grows_and_reuses_slots);
    return host_finish(check_summary());
}
