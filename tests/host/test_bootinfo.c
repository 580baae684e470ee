/*
 * Host tests for the Multiboot2 parser, on info blocks built by hand.
 *
 * A small builder appends tags the way GRUB lays them out (header, payload,
 * padding to 8, end tag), so each test states the block it feeds in. Every
 * block is parsed from a malloc'd copy of exactly the readable length, so
 * AddressSanitizer reports any read past the end; the last test mutates a
 * valid block 20,000 times to look for such reads and for crashes.
 *
 * Portable: host only; links kernel/bootinfo.c with tests/host/portable_host.c.
 * See: docs/boot.md
 */
#include "bootinfo.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <ember/errno.h>
#include "check.h"
#include "lib/xorshift.h"

/* ---- the builder --------------------------------------------------------- */

#define BUILD_CAP 8192

struct builder {
    _Alignas(8) uint8_t buf[BUILD_CAP];
    uint32_t len;
    uint32_t tag; /* offset of the open tag */
};

static void put(struct builder *b, const void *p, uint32_t n)
{
    if (b->len + n > BUILD_CAP) {
        fprintf(stderr, "builder overflow\n");
        abort();
    }
    memcpy(b->buf + b->len, p, n);
    b->len += n;
}

static void put32(struct builder *b, uint32_t v)
{
    put(b, &v, 4);
}

static void put64(struct builder *b, uint64_t v)
{
    put(b, &v, 8);
}

static void put8(struct builder *b, uint8_t v)
{
    put(b, &v, 1);
}

static void pad8(struct builder *b)
{
    while (b->len % 8)
        put8(b, 0);
}

static void begin(struct builder *b)
{
    b->len = 0;
    put32(b, 0); /* total_size, filled in by finish() */
    put32(b, 0);
}

static void tag_open(struct builder *b, uint32_t type)
{
    b->tag = b->len;
    put32(b, type);
    put32(b, 0); /* size, filled in by tag_close() */
}

/* Sets the open tag's size to what was written, then pads to 8. */
static void tag_close(struct builder *b)
{
    uint32_t size = b->len - b->tag;
    memcpy(b->buf + b->tag + 4, &size, 4);
    pad8(b);
}

/* Overrides the open tag's size field (for malformed blocks). */
static void tag_close_size(struct builder *b, uint32_t size)
{
    memcpy(b->buf + b->tag + 4, &size, 4);
    pad8(b);
}

/* Appends the end tag and writes total_size. */
static void finish(struct builder *b)
{
    tag_open(b, 0);
    tag_close(b);
    memcpy(b->buf, &b->len, 4);
}

/* Writes total_size without an end tag. */
static void finish_no_end(struct builder *b)
{
    memcpy(b->buf, &b->len, 4);
}

static void string_tag(struct builder *b, uint32_t type, const char *s)
{
    tag_open(b, type);
    put(b, s, (uint32_t)strlen(s) + 1);
    tag_close(b);
}

static void module_tag(struct builder *b, uint32_t start, uint32_t end,
                       const char *s)
{
    tag_open(b, 3);
    put32(b, start);
    put32(b, end);
    put(b, s, (uint32_t)strlen(s) + 1);
    tag_close(b);
}

static void mmap_entry(struct builder *b, uint64_t base, uint64_t len,
                       uint32_t type)
{
    put64(b, base);
    put64(b, len);
    put32(b, type);
    put32(b, 0);
}

static void fb_rgb_tag(struct builder *b)
{
    tag_open(b, 8);
    put64(b, 0xfd000000);
    put32(b, 4096); /* pitch */
    put32(b, 1024);
    put32(b, 768);
    put8(b, 32); /* bpp */
    put8(b, 1);  /* direct RGB */
    put8(b, 0);  /* reserved (u16) */
    put8(b, 0);
    put8(b, 16); /* red */
    put8(b, 8);
    put8(b, 8); /* green */
    put8(b, 8);
    put8(b, 0); /* blue */
    put8(b, 8);
    tag_close(b);
}

static const uint8_t rsdp_v1[20] = "RSD PTR \x11OEMID\0\0\0\0\0\0";
static const uint8_t rsdp_v2[36] = "RSD PTR \x22OEMID\x02\0\0\0\0\x24\0\0\0"
                                   "\x00\x10\0\0\0\0\0\0\x33\0\0";

/* The block with every tag type the parser knows, plus an unknown one. */
static void build_full(struct builder *b)
{
    begin(b);
    string_tag(b, 1, "root=/dev/hda1 quiet");
    string_tag(b, 2, "GRUB 2.06-13+deb12u1");
    module_tag(b, 0x200000, 0x280000, "/boot/initrd");
    module_tag(b, 0x300000, 0x301000, "font");
    tag_open(b, 4);
    put32(b, 639);
    put32(b, 523264);
    tag_close(b);
    tag_open(b, 6);
    put32(b, 24);
    put32(b, 0);
    mmap_entry(b, 0, 0x9fc00, 1);
    mmap_entry(b, 0x9fc00, 0x400, 2);
    mmap_entry(b, 0x100000, 0x7ee0000, 1);
    mmap_entry(b, 0x7fe0000, 0x20000, 3);
    mmap_entry(b, 0xfffc0000, 0x40000, 4);
    tag_close(b);
    fb_rgb_tag(b);
    tag_open(b, 21); /* load base address: unknown to the parser */
    put32(b, 0x100000);
    tag_close(b);
    tag_open(b, 12);
    put64(b, 0x7f9e018);
    tag_close(b);
    tag_open(b, 14);
    put(b, rsdp_v1, sizeof rsdp_v1);
    tag_close(b);
    tag_open(b, 15);
    put(b, rsdp_v2, sizeof rsdp_v2);
    tag_close(b);
    finish(b);
}

/* Parses a malloc'd copy of exactly `avail` bytes of the block. */
static int parse_exact(const struct builder *b, size_t avail,
                       struct bootinfo *out)
{
    uint8_t *copy = malloc(avail ? avail : 1);
    memcpy(copy, b->buf, avail);
    int r = bootinfo_parse(copy, avail, out);
    free(copy);
    return r;
}

static int parse(const struct builder *b, struct bootinfo *out)
{
    return parse_exact(b, b->len, out);
}

static struct builder bld;
static struct bootinfo bi;

/* ---- valid blocks -------------------------------------------------------- */

/* Every tag type in one block comes out in the right field. */
TEST(bootinfo_parses_every_tag_type)
{
    build_full(&bld);
    CHECK_EQ(parse(&bld, &bi), 0);
    CHECK_EQ(bi.total_size, bld.len);
    CHECK(strcmp(bi.cmdline, "root=/dev/hda1 quiet") == 0);
    CHECK(strcmp(bi.bootloader, "GRUB 2.06-13+deb12u1") == 0);
    CHECK(bi.has_basic_meminfo);
    CHECK_EQ(bi.mem_lower_kb, 639);
    CHECK_EQ(bi.mem_upper_kb, 523264);
    CHECK_EQ(bi.module_count, 2);
    CHECK_EQ(bi.modules[0].start, 0x200000);
    CHECK_EQ(bi.modules[0].end, 0x280000);
    CHECK(strcmp(bi.modules[0].cmdline, "/boot/initrd") == 0);
    CHECK_EQ(bi.modules[1].start, 0x300000);
    CHECK_EQ(bi.modules[1].end, 0x301000);
    CHECK(strcmp(bi.modules[1].cmdline, "font") == 0);
    CHECK_EQ(bi.mmap_count, 5);
    CHECK_EQ(bi.mmap[4].base, 0xfffc0000);
    CHECK_EQ(bi.mmap[4].length, 0x40000);
    CHECK_EQ(bi.mmap[4].type, BOOTINFO_MEM_ACPI_NVS);
    CHECK_EQ(bi.usable_bytes, 0x9fc00 + 0x7ee0000);
    CHECK(bi.fb.present);
    CHECK_EQ(bi.fb.addr, 0xfd000000);
    CHECK_EQ(bi.fb.width, 1024);
    CHECK(bi.efi);
    CHECK(bi.has_rsdp);
    CHECK_EQ(bi.rsdp_len, 36);
    CHECK(memcmp(bi.rsdp, rsdp_v2, 36) == 0);
}

/* Several mmap entries, with a larger entry_size, sum their usable bytes. */
TEST(bootinfo_sums_usable_mmap_entries)
{
    begin(&bld);
    tag_open(&bld, 6);
    put32(&bld, 32); /* entry_size larger than today's 24 */
    put32(&bld, 0);
    static const uint64_t lens[] = {0x1000, 0x2000, 0x3000, 0x4000, 0x5000};
    static const uint32_t types[] = {1, 2, 1, 5, 1};
    for (int i = 0; i < 5; i++) {
        mmap_entry(&bld, 0x100000 * (uint64_t)i, lens[i], types[i]);
        put64(&bld, 0xdeadbeefdeadbeef); /* the 8 bytes we must step over */
    }
    tag_close(&bld);
    finish(&bld);
    CHECK_EQ(parse(&bld, &bi), 0);
    CHECK_EQ(bi.mmap_count, 5);
    for (int i = 0; i < 5; i++) {
        CHECK_EQ(bi.mmap[i].base, 0x100000 * (uint64_t)i);
        CHECK_EQ(bi.mmap[i].length, lens[i]);
        CHECK_EQ(bi.mmap[i].type, types[i]);
    }
    CHECK_EQ(bi.usable_bytes, 0x1000 + 0x3000 + 0x5000);
}

/* A map longer than the array keeps the first 128 entries (and warns). */
TEST(bootinfo_drops_mmap_entries_past_the_array)
{
    begin(&bld);
    tag_open(&bld, 6);
    put32(&bld, 24);
    put32(&bld, 0);
    for (int i = 0; i < BOOTINFO_MAX_MMAP + 3; i++)
        mmap_entry(&bld, 0x1000 * (uint64_t)i, 0x1000, 1);
    tag_close(&bld);
    finish(&bld);
    CHECK_EQ(parse(&bld, &bi), 0);
    CHECK_EQ(bi.mmap_count, BOOTINFO_MAX_MMAP);
    CHECK_EQ(bi.mmap[BOOTINFO_MAX_MMAP - 1].base,
             0x1000 * (uint64_t)(BOOTINFO_MAX_MMAP - 1));
    CHECK_EQ(bi.usable_bytes, 0x1000 * (uint64_t)BOOTINFO_MAX_MMAP);
}

/* The direct-RGB framebuffer's geometry and colour layout are copied. */
TEST(bootinfo_reads_framebuffer_rgb_fields)
{
    begin(&bld);
    fb_rgb_tag(&bld);
    finish(&bld);
    CHECK_EQ(parse(&bld, &bi), 0);
    CHECK(bi.fb.present);
    CHECK_EQ(bi.fb.addr, 0xfd000000);
    CHECK_EQ(bi.fb.pitch, 4096);
    CHECK_EQ(bi.fb.width, 1024);
    CHECK_EQ(bi.fb.height, 768);
    CHECK_EQ(bi.fb.bpp, 32);
    CHECK_EQ(bi.fb.type, 1);
    CHECK_EQ(bi.fb.red_pos, 16);
    CHECK_EQ(bi.fb.red_size, 8);
    CHECK_EQ(bi.fb.green_pos, 8);
    CHECK_EQ(bi.fb.green_size, 8);
    CHECK_EQ(bi.fb.blue_pos, 0);
    CHECK_EQ(bi.fb.blue_size, 8);
}

/* A block with no framebuffer tag leaves fb.present false. */
TEST(bootinfo_without_framebuffer_has_none)
{
    begin(&bld);
    string_tag(&bld, 1, "");
    finish(&bld);
    CHECK_EQ(parse(&bld, &bi), 0);
    CHECK(!bi.fb.present);
    CHECK(!bi.has_rsdp);
    CHECK(!bi.efi);
    CHECK_EQ(bi.mmap_count, 0);
    CHECK_EQ(bi.cmdline[0], '\0');
}

/* Strings longer than their field are cut, NUL-terminated, not refused. */
TEST(bootinfo_truncates_long_strings)
{
    char longs[600];
    memset(longs, 'x', sizeof longs - 1);
    longs[sizeof longs - 1] = '\0';
    begin(&bld);
    string_tag(&bld, 1, longs);
    string_tag(&bld, 2, longs);
    module_tag(&bld, 1, 2, longs);
    finish(&bld);
    CHECK_EQ(parse(&bld, &bi), 0);
    CHECK_EQ(strlen(bi.cmdline), BOOTINFO_CMDLINE_MAX - 1);
    CHECK_EQ(strlen(bi.bootloader), sizeof bi.bootloader - 1);
    CHECK_EQ(strlen(bi.modules[0].cmdline), sizeof bi.modules[0].cmdline - 1);
    CHECK_EQ(bi.cmdline[0], 'x');
}

/* Unknown tag types, of odd sizes, are stepped over. */
TEST(bootinfo_skips_unknown_tags)
{
    begin(&bld);
    tag_open(&bld, 99);
    put8(&bld, 0xff); /* size 9: padding follows */
    tag_close(&bld);
    tag_open(&bld, 0x7fffffff);
    tag_close(&bld); /* header only */
    string_tag(&bld, 1, "after");
    finish(&bld);
    CHECK_EQ(parse(&bld, &bi), 0);
    CHECK(strcmp(bi.cmdline, "after") == 0);
}

/* With only the v1 RSDP tag, its 20 bytes are kept; v2 later replaces it. */
TEST(bootinfo_prefers_v2_rsdp)
{
    begin(&bld);
    tag_open(&bld, 14);
    put(&bld, rsdp_v1, sizeof rsdp_v1);
    tag_close(&bld);
    finish(&bld);
    CHECK_EQ(parse(&bld, &bi), 0);
    CHECK(bi.has_rsdp);
    CHECK_EQ(bi.rsdp_len, 20);
    CHECK(memcmp(bi.rsdp, rsdp_v1, 20) == 0);

    begin(&bld);
    tag_open(&bld, 15);
    put(&bld, rsdp_v2, sizeof rsdp_v2);
    tag_close(&bld);
    tag_open(&bld, 14); /* v1 after v2 must not win */
    put(&bld, rsdp_v1, sizeof rsdp_v1);
    tag_close(&bld);
    finish(&bld);
    CHECK_EQ(parse(&bld, &bi), 0);
    CHECK_EQ(bi.rsdp_len, 36);
    CHECK(memcmp(bi.rsdp, rsdp_v2, 36) == 0);
}

/* Tags after the end tag are never read. */
TEST(bootinfo_stops_at_end_tag)
{
    begin(&bld);
    string_tag(&bld, 1, "before");
    tag_open(&bld, 0);
    tag_close(&bld);
    string_tag(&bld, 1, "after");
    finish_no_end(&bld);
    CHECK_EQ(parse(&bld, &bi), 0);
    CHECK(strcmp(bi.cmdline, "before") == 0);
}

TEST(bootinfo_names_memory_types)
{
    CHECK(strcmp(bootinfo_mem_type_name(1), "usable") == 0);
    CHECK(strcmp(bootinfo_mem_type_name(2), "reserved") == 0);
    CHECK(strcmp(bootinfo_mem_type_name(3), "ACPI reclaimable") == 0);
    CHECK(strcmp(bootinfo_mem_type_name(4), "ACPI NVS") == 0);
    CHECK(strcmp(bootinfo_mem_type_name(5), "bad") == 0);
    CHECK(strcmp(bootinfo_mem_type_name(0), "unknown") == 0);
    CHECK(strcmp(bootinfo_mem_type_name(77), "unknown") == 0);
}

/* ---- malformed blocks ---------------------------------------------------- */

/* A tag whose size runs past total_size is refused. */
TEST(bootinfo_rejects_truncated_tag)
{
    begin(&bld);
    tag_open(&bld, 1);
    put(&bld, "abc", 4);
    tag_close_size(&bld, 64);
    finish(&bld);
    CHECK_EQ(parse(&bld, &bi), -EINVAL);

    /* The same, as the last tag before a total_size that cuts it. */
    begin(&bld);
    string_tag(&bld, 1, "a long enough command line");
    finish_no_end(&bld);
    uint32_t cut = 8 + 16;
    memcpy(bld.buf, &cut, 4);
    CHECK_EQ(parse(&bld, &bi), -EINVAL);
}

/* total_size may not claim more bytes than the caller says are readable. */
TEST(bootinfo_rejects_total_size_past_avail)
{
    build_full(&bld);
    CHECK_EQ(parse_exact(&bld, bld.len - 8, &bi), -EINVAL);
    CHECK_EQ(parse_exact(&bld, 4, &bi), -EINVAL);
    CHECK_EQ(parse_exact(&bld, 0, &bi), -EINVAL);
}

TEST(bootinfo_rejects_total_size_below_8)
{
    build_full(&bld);
    for (uint32_t t = 0; t < 8; t++) {
        memcpy(bld.buf, &t, 4);
        CHECK_EQ(parse(&bld, &bi), -EINVAL);
    }
}

TEST(bootinfo_rejects_missing_end_tag)
{
    begin(&bld);
    string_tag(&bld, 1, "no end");
    finish_no_end(&bld);
    CHECK_EQ(parse(&bld, &bi), -EINVAL);

    begin(&bld); /* header only: no tags at all */
    finish_no_end(&bld);
    CHECK_EQ(parse(&bld, &bi), -EINVAL);

    begin(&bld); /* an end tag of the wrong size */
    tag_open(&bld, 0);
    put64(&bld, 0);
    tag_close(&bld);
    finish_no_end(&bld);
    CHECK_EQ(parse(&bld, &bi), -EINVAL);
}

TEST(bootinfo_rejects_tag_size_below_8)
{
    for (uint32_t size = 0; size < 8; size++) {
        begin(&bld);
        tag_open(&bld, 99);
        tag_close_size(&bld, size);
        finish(&bld);
        CHECK_EQ(parse(&bld, &bi), -EINVAL);
    }
}

static void mmap_with_entry_size(uint32_t entry_size)
{
    begin(&bld);
    tag_open(&bld, 6);
    put32(&bld, entry_size);
    put32(&bld, 0);
    mmap_entry(&bld, 0, 0x1000, 1);
    mmap_entry(&bld, 0x1000, 0x1000, 1);
    tag_close(&bld);
    finish(&bld);
}

TEST(bootinfo_rejects_bad_mmap_entry_size)
{
    static const uint32_t bad[] = {0, 8, 16, 20, 28, 30};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        mmap_with_entry_size(bad[i]);
        CHECK_EQ(parse(&bld, &bi), -EINVAL);
    }
    mmap_with_entry_size(24);
    CHECK_EQ(parse(&bld, &bi), 0);
}

TEST(bootinfo_rejects_short_mmap_tag)
{
    begin(&bld);
    tag_open(&bld, 6);
    put32(&bld, 24); /* entry_version missing */
    tag_close(&bld);
    finish(&bld);
    CHECK_EQ(parse(&bld, &bi), -EINVAL);
}

/* A string tag must hold its NUL; so must a module's name. */
TEST(bootinfo_rejects_string_without_nul)
{
    begin(&bld);
    tag_open(&bld, 1);
    put(&bld, "abcdefgh", 8); /* size 16, no NUL; padding holds none either */
    tag_close(&bld);
    finish(&bld);
    CHECK_EQ(parse(&bld, &bi), -EINVAL);

    begin(&bld);
    tag_open(&bld, 1);
    put(&bld, "abc", 3); /* size 11; the padding's zero is outside the tag */
    tag_close(&bld);
    finish(&bld);
    CHECK_EQ(parse(&bld, &bi), -EINVAL);

    begin(&bld);
    tag_open(&bld, 2);
    tag_close(&bld); /* no room for even the NUL */
    finish(&bld);
    CHECK_EQ(parse(&bld, &bi), -EINVAL);

    begin(&bld);
    tag_open(&bld, 3);
    put32(&bld, 1);
    put32(&bld, 2);
    put(&bld, "mod", 3);
    tag_close(&bld);
    finish(&bld);
    CHECK_EQ(parse(&bld, &bi), -EINVAL);
}

TEST(bootinfo_rejects_short_framebuffer_tag)
{
    begin(&bld);
    tag_open(&bld, 8);
    put64(&bld, 0xfd000000);
    put32(&bld, 4096);
    put32(&bld, 1024); /* height, bpp and type missing */
    tag_close(&bld);
    finish(&bld);
    CHECK_EQ(parse(&bld, &bi), -EINVAL);

    /* Type 1 without its six colour bytes. */
    begin(&bld);
    tag_open(&bld, 8);
    put64(&bld, 0xfd000000);
    put32(&bld, 4096);
    put32(&bld, 1024);
    put32(&bld, 768);
    put8(&bld, 32);
    put8(&bld, 1);
    put8(&bld, 0);
    put8(&bld, 0);
    tag_close(&bld);
    finish(&bld);
    CHECK_EQ(parse(&bld, &bi), -EINVAL);
}

TEST(bootinfo_rejects_short_fixed_tags)
{
    static const uint32_t types[] = {3, 4, 12, 14, 15};
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++) {
        begin(&bld);
        tag_open(&bld, types[i]);
        put32(&bld, 0);
        tag_close(&bld); /* 12 bytes: shorter than any of them */
        finish(&bld);
        CHECK_EQ(parse(&bld, &bi), -EINVAL);
    }
}

/* ---- fuzzing ------------------------------------------------------------- */

static uint64_t rng_state = 0x9e3779b97f4a7c15;

static uint32_t rng(void)
{
    /* xorshift64*: small, seeded, and the same on every run. */
    return (uint32_t)(xorshift64_star(&rng_state) >> 32);
}

/*
 * 20,000 mutants of the full block, each in a buffer of exactly its readable
 * length: the parser must answer 0 or -EINVAL, and ASan/UBSan stay silent.
 */
TEST(bootinfo_survives_random_mutations)
{
    static const uint32_t interesting[] = {
        0, 1, 7, 8, 9, 16, 24, 0x7fffffff, 0xfffffff8, 0xffffffff};
    struct builder orig;
    build_full(&orig);
    int ok = 0, bad = 0;
    for (int iter = 0; iter < 20000; iter++) {
        struct builder m = orig;
        int flips = 1 + rng() % 4;
        for (int i = 0; i < flips; i++) {
            uint32_t pos = rng() % m.len;
            switch (rng() % 3) {
            case 0:
                m.buf[pos] ^= (uint8_t)(1u << (rng() % 8));
                break;
            case 1:
                m.buf[pos] = (uint8_t)rng();
                break;
            default: {
                uint32_t v = interesting[rng() % 10];
                memcpy(m.buf + (pos & ~3u) % (m.len - 3), &v, 4);
                break;
            }
            }
        }
        size_t avail = m.len;
        if (rng() % 4 == 0)
            avail = rng() % (m.len + 1);
        int r = parse_exact(&m, avail, &bi);
        CHECK(r == 0 || r == -EINVAL);
        if (r == 0)
            ok++;
        else
            bad++;
    }
    CHECK(ok > 0);
    CHECK(bad > 0);
}

int main(void)
{
    RUN(bootinfo_parses_every_tag_type);
    RUN(bootinfo_sums_usable_mmap_entries);
    RUN(bootinfo_drops_mmap_entries_past_the_array);
    RUN(bootinfo_reads_framebuffer_rgb_fields);
    RUN(bootinfo_without_framebuffer_has_none);
    RUN(bootinfo_truncates_long_strings);
    RUN(bootinfo_skips_unknown_tags);
    RUN(bootinfo_prefers_v2_rsdp);
    RUN(bootinfo_stops_at_end_tag);
    RUN(bootinfo_names_memory_types);
    RUN(bootinfo_rejects_truncated_tag);
    RUN(bootinfo_rejects_total_size_past_avail);
    RUN(bootinfo_rejects_total_size_below_8);
    RUN(bootinfo_rejects_missing_end_tag);
    RUN(bootinfo_rejects_tag_size_below_8);
    RUN(bootinfo_rejects_bad_mmap_entry_size);
    RUN(bootinfo_rejects_short_mmap_tag);
    RUN(bootinfo_rejects_string_without_nul);
    RUN(bootinfo_rejects_short_framebuffer_tag);
    RUN(bootinfo_rejects_short_fixed_tags);
    RUN(bootinfo_survives_random_mutations);
    return check_summary();
}
