/*
 * Host tests for the PSF font parser: a real Debian font and built ones.
 *
 * The PSF1 tests read Lat15-VGA16 from Debian's console-setup-linux package
 * (gunzipped through zcat, or an unpacked copy named as argv[1]), so the
 * parser is proven on a font it will really meet. The PSF2 fonts are built
 * here byte by byte, so each test states its header. Every input is parsed
 * from a malloc'd copy of exactly its length, so AddressSanitizer reports
 * any read past the end.
 *
 * Portable: host only; links kernel/drivers/psf.c with
 * tests/host/portable_host.c.
 * See: docs/console.md
 */
#include "drivers/psf.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <ember/errno.h>
#include "check.h"

#define LAT15_GZ "/usr/share/consolefonts/Lat15-VGA16.psf.gz"
#define FONT_CAP 65536

static uint8_t real_font[FONT_CAP];
static size_t real_len;
static struct psf_font font;

/*
 * Parses an exact-size copy. The font points into the copy, so callers that
 * look at glyphs get the copy back through *keep and free it themselves.
 */
static int parse_exact(const void *data, size_t len, struct psf_font *out,
                       uint8_t **keep)
{
    uint8_t *copy = malloc(len ? len : 1);
    memcpy(copy, data, len);
    int r = psf_parse(copy, len, out);
    if (keep)
        *keep = copy;
    else
        free(copy);
    return r;
}

static bool glyph_empty(const struct psf_font *f, const uint8_t *g)
{
    for (uint32_t i = 0; i < f->bytes_per_glyph; i++)
        if (g[i])
            return false;
    return true;
}

/* Reads the real font, unpacked at `path` or through zcat. */
static int load_real_font(const char *path)
{
    FILE *fp;
    if (path)
        fp = fopen(path, "rb");
    else
        fp = popen("zcat " LAT15_GZ, "r");
    if (!fp)
        return -1;
    real_len = fread(real_font, 1, sizeof real_font, fp);
    int status = path ? fclose(fp) : pclose(fp);
    return (status == 0 && real_len > 0 && real_len < FONT_CAP) ? 0 : -1;
}

/* ---- the real PSF1 font -------------------------------------------------- */

/* Lat15-VGA16 is PSF1, 8x16, with a unicode table. */
TEST(psf_parses_real_psf1_font)
{
    uint8_t *copy;
    CHECK_EQ(real_font[0], 0x36);
    CHECK_EQ(parse_exact(real_font, real_len, &font, &copy), 0);
    CHECK_EQ(font.width, 8);
    CHECK_EQ(font.height, 16);
    CHECK_EQ(font.bytes_per_row, 1);
    CHECK_EQ(font.bytes_per_glyph, 16);
    CHECK_EQ(font.glyph_count, 256);
    CHECK(font.glyphs == copy + 4);

    const uint8_t *a = psf_glyph(&font, 'A');
    const uint8_t *b = psf_glyph(&font, 'B');
    CHECK(!glyph_empty(&font, a));
    CHECK(!glyph_empty(&font, b));
    CHECK(memcmp(a, b, 16) != 0);
    CHECK(glyph_empty(&font, psf_glyph(&font, ' ')));
    /* Latin-1 letters come from the table too: e-acute is not plain e. */
    const uint8_t *e = psf_glyph(&font, 'e');
    const uint8_t *e_acute = psf_glyph(&font, 0xE9);
    CHECK(!glyph_empty(&font, e_acute));
    CHECK(memcmp(e, e_acute, 16) != 0);
    /* The euro sign is in Lat15 (its glyph is not the replacement's), a
     * CJK ideograph is not. */
    uint16_t euro = psf_lookup(&font, 0x20AC);
    CHECK(euro != font.replacement);
    CHECK(!glyph_empty(&font, psf_glyph_at(&font, euro)));
    CHECK_EQ(psf_lookup(&font, 0x4E00), font.replacement);
    CHECK(font.replacement != font.ascii_map[' ']);
    free(copy);
}

/* Cutting the real font inside its glyphs or its table is refused. */
TEST(psf_rejects_truncated_real_font)
{
    size_t glyph_end = 4 + 256 * 16;
    CHECK(real_len > glyph_end + 2);
    CHECK_EQ(parse_exact(real_font, 3, &font, NULL), -EINVAL);
    CHECK_EQ(parse_exact(real_font, glyph_end - 1, &font, NULL), -EINVAL);
    CHECK_EQ(parse_exact(real_font, glyph_end, &font, NULL), -EINVAL);
    CHECK_EQ(parse_exact(real_font, real_len - 1, &font, NULL), -EINVAL);
    CHECK_EQ(parse_exact(real_font, (glyph_end + real_len) / 2, &font, NULL),
             -EINVAL);
}

/* ---- built PSF2 fonts ---------------------------------------------------- */

struct psf2_builder {
    uint8_t buf[256];
    size_t len;
};

static void put(struct psf2_builder *b, const void *p, size_t n)
{
    memcpy(b->buf + b->len, p, n);
    b->len += n;
}

static void put32(struct psf2_builder *b, uint32_t v)
{
    uint8_t le[4] = {v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff, v >> 24};
    put(b, le, 4);
}

/* Glyph 1 of the built font: 10 pixels wide (2 bytes a row), 3 rows. */
static const uint8_t glyph1[6] = {0xff, 0xc0, 0x81, 0x40, 0xff, 0xc0};

/*
 * Two glyphs, 10x3. headersize may exceed 32 (the gap is padding); flags
 * bit 0 says a unicode table follows.
 */
static void build_psf2(struct psf2_builder *b, uint32_t headersize,
                       uint32_t flags)
{
    b->len = 0;
    put32(b, 0x864ab572);
    put32(b, 0);
    put32(b, headersize);
    put32(b, flags);
    put32(b, 2);  /* length */
    put32(b, 6);  /* charsize */
    put32(b, 3);  /* height */
    put32(b, 10); /* width */
    while (b->len < headersize)
        b->buf[b->len++] = 0xAA;
    static const uint8_t glyph0[6] = {0};
    put(b, glyph0, 6);
    put(b, glyph1, 6);
}

/*
 * The table: glyph 0 draws '?'; glyph 1 draws 'A', U+20AC (the wide table)
 * and e-acute, then a sequence "B + combining acute" that must not map 'B'.
 */
static const uint8_t psf2_table[] = {
    '?', 0xFF, 'A', 0xE2, 0x82, 0xAC, 0xC3, 0xA9, 0xFE, 'B', 0xCC, 0x81, 0xFF,
};

static void set_header(struct psf2_builder *b, int field, uint32_t v)
{
    uint8_t le[4] = {v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff, v >> 24};
    memcpy(b->buf + 4 * field, le, 4);
}

/* Without a table, code points map to glyphs by number. */
TEST(psf_parses_psf2_without_table)
{
    struct psf2_builder b;
    uint8_t *copy;
    build_psf2(&b, 32, 0);
    CHECK_EQ(parse_exact(b.buf, b.len, &font, &copy), 0);
    CHECK_EQ(font.glyph_count, 2);
    CHECK_EQ(font.width, 10);
    CHECK_EQ(font.height, 3);
    CHECK_EQ(font.bytes_per_row, 2);
    CHECK_EQ(font.bytes_per_glyph, 6);
    CHECK(font.glyphs == copy + 32);
    CHECK_EQ(font.ascii_map[0], 0);
    CHECK_EQ(font.ascii_map[1], 1);
    CHECK_EQ(font.ascii_map['A'], 0); /* no such glyph; '?' unmapped -> 0 */
    CHECK(memcmp(psf_glyph(&font, 1), glyph1, 6) == 0);
    CHECK(glyph_empty(&font, psf_glyph(&font, 0)));
    free(copy);
}

/* With a table, mapping follows it; sequences and big code points don't. */
TEST(psf_parses_psf2_with_table)
{
    struct psf2_builder b;
    uint8_t *copy;
    build_psf2(&b, 40, 1);
    put(&b, psf2_table, sizeof psf2_table);
    CHECK_EQ(parse_exact(b.buf, b.len, &font, &copy), 0);
    CHECK(font.glyphs == copy + 40);
    CHECK_EQ(font.ascii_map['?'], 0);
    CHECK_EQ(font.ascii_map['A'], 1);
    CHECK_EQ(font.ascii_map[0xE9], 1);
    CHECK_EQ(font.ascii_map['B'], 0); /* only in a sequence: falls back */
    CHECK_EQ(font.ascii_map[1], 0);
    CHECK(memcmp(psf_glyph(&font, 'A'), glyph1, 6) == 0);
    CHECK_EQ(font.wide_count, 1);
    CHECK_EQ(psf_lookup(&font, 0x20AC), 1);
    CHECK_EQ(psf_lookup(&font, 0x301), 0);   /* only in a sequence */
    CHECK_EQ(psf_lookup(&font, 0x1F600), 0); /* absent: '?' */
    free(copy);
}

/*
 * Code points above 255 in 2-, 3- and 4-byte UTF-8, out of order and twice
 * (the first listing wins), and U+FFFD, which becomes the replacement for
 * everything unmapped, below 256 too. An overlong encoding maps nothing.
 */
TEST(psf_wide_code_points_and_replacement)
{
    struct psf2_builder b;
    static const uint8_t table[] = {
        0xF0, 0x9F, 0x98, 0x80, 0xC4, 0x80, 0xE2, 0x82, 0xAC, 0xFF, /* 0 */
        0xEF, 0xBF, 0xBD, 0xE2, 0x82, 0xAC, 0xC0, 0xC1, 0xFF,       /* 1 */
    };
    build_psf2(&b, 32, 1);
    put(&b, table, sizeof table);
    CHECK_EQ(parse_exact(b.buf, b.len, &font, NULL), 0);
    CHECK_EQ(font.wide_count, 4);
    CHECK_EQ(font.wide[0].cp, 0x100);
    CHECK_EQ(font.wide[3].cp, 0x1F600);
    CHECK_EQ(psf_lookup(&font, 0x1F600), 0);
    CHECK_EQ(psf_lookup(&font, 0x100), 0);
    CHECK_EQ(psf_lookup(&font, 0x20AC), 0); /* glyph 0 listed it first */
    CHECK_EQ(psf_lookup(&font, 0xFFFD), 1);
    CHECK_EQ(font.replacement, 1);
    CHECK_EQ(psf_lookup(&font, 0x4E00), 1); /* absent: U+FFFD's glyph */
    CHECK_EQ(psf_lookup(&font, 'A'), 1);
    CHECK_EQ(psf_lookup(&font, 0x41), font.ascii_map['A']);
}

/* A font whose '?' is glyph 1 sends unmapped code points there. */
TEST(psf_unmapped_falls_back_to_question_mark)
{
    struct psf2_builder b;
    static const uint8_t table[] = {'a', 0xFF, '?', 0xFF};
    build_psf2(&b, 32, 1);
    put(&b, table, sizeof table);
    CHECK_EQ(parse_exact(b.buf, b.len, &font, NULL), 0);
    CHECK_EQ(font.ascii_map['a'], 0);
    CHECK_EQ(font.ascii_map['?'], 1);
    CHECK_EQ(font.ascii_map['z'], 1);
    CHECK_EQ(font.ascii_map[0], 1);
}

/* ---- malformed fonts ----------------------------------------------------- */

TEST(psf_rejects_truncated_header)
{
    struct psf2_builder b;
    build_psf2(&b, 32, 0);
    for (size_t n = 0; n < 32; n++)
        CHECK_EQ(parse_exact(b.buf, n, &font, NULL), -EINVAL);
    static const uint8_t psf1[3] = {0x36, 0x04, 0x00};
    CHECK_EQ(parse_exact(psf1, 3, &font, NULL), -EINVAL);
}

TEST(psf_rejects_bad_magic)
{
    struct psf2_builder b;
    build_psf2(&b, 32, 0);
    b.buf[3] ^= 1;
    CHECK_EQ(parse_exact(b.buf, b.len, &font, NULL), -EINVAL);
}

/* Glyph data shorter than length * charsize, including by overflow. */
TEST(psf_rejects_short_glyph_data)
{
    struct psf2_builder b;
    build_psf2(&b, 32, 0);
    CHECK_EQ(parse_exact(b.buf, b.len - 1, &font, NULL), -EINVAL);

    set_header(&b, 4, 3); /* three glyphs claimed, two present */
    CHECK_EQ(parse_exact(b.buf, b.len, &font, NULL), -EINVAL);

    build_psf2(&b, 32, 0);
    set_header(&b, 4, 0x40000000); /* count * charsize wraps in 32 bits */
    set_header(&b, 5, 0x40000000);
    CHECK_EQ(parse_exact(b.buf, b.len, &font, NULL), -EINVAL);

    build_psf2(&b, 32, 0);
    set_header(&b, 2, 0xffffffff); /* headersize past the end */
    CHECK_EQ(parse_exact(b.buf, b.len, &font, NULL), -EINVAL);

    build_psf2(&b, 32, 0);
    set_header(&b, 2, 16); /* headersize inside the header */
    CHECK_EQ(parse_exact(b.buf, b.len, &font, NULL), -EINVAL);

    /* PSF1: 256 glyphs of 16 bytes claimed, 16 bytes present. */
    uint8_t psf1[4 + 16] = {0x36, 0x04, 0x00, 16};
    CHECK_EQ(parse_exact(psf1, sizeof psf1, &font, NULL), -EINVAL);
}

TEST(psf_rejects_bad_dimensions)
{
    static const struct {
        int field;
        uint32_t value;
    } bad[] = {
        {4, 0},  /* no glyphs */
        {5, 0},  /* charsize 0 */
        {5, 5},  /* charsize below 2 bytes * 3 rows */
        {6, 0},  /* height 0 */
        {7, 0},  /* width 0 */
        {7, 33}, /* width over 32 */
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct psf2_builder b;
        build_psf2(&b, 32, 0);
        set_header(&b, bad[i].field, bad[i].value);
        CHECK_EQ(parse_exact(b.buf, b.len, &font, NULL), -EINVAL);
    }
    static const uint8_t psf1[4] = {0x36, 0x04, 0x00, 0}; /* height 0 */
    CHECK_EQ(parse_exact(psf1, sizeof psf1, &font, NULL), -EINVAL);
}

/* A unicode table that ends before every glyph has its terminator. */
TEST(psf_rejects_table_running_off_the_end)
{
    struct psf2_builder b;
    build_psf2(&b, 32, 1);
    CHECK_EQ(parse_exact(b.buf, b.len, &font, NULL), -EINVAL); /* no table */
    put(&b, psf2_table, sizeof psf2_table);
    CHECK_EQ(parse_exact(b.buf, b.len, &font, NULL), 0);
    for (size_t cut = 1; cut <= sizeof psf2_table; cut++)
        CHECK_EQ(parse_exact(b.buf, b.len - cut, &font, NULL), -EINVAL);
    /* A 2-byte UTF-8 lead as the table's last byte. */
    build_psf2(&b, 32, 1);
    static const uint8_t lead_last[] = {'a', 0xFF, 0xC3};
    put(&b, lead_last, sizeof lead_last);
    CHECK_EQ(parse_exact(b.buf, b.len, &font, NULL), -EINVAL);
}

/* PSF1: an odd trailing byte cannot hold the last u16 terminator. */
TEST(psf_rejects_psf1_table_running_off_the_end)
{
    static uint8_t f[4 + 256 * 2 + 256 * 2 + 1];
    memset(f, 0, sizeof f);
    f[0] = 0x36;
    f[1] = 0x04;
    f[2] = 0x02; /* has table */
    f[3] = 2;    /* 2 bytes a glyph */
    uint8_t *t = f + 4 + 256 * 2;
    for (int g = 0; g < 256; g++) {
        t[2 * g] = 0xff; /* empty entry list: just 0xFFFF */
        t[2 * g + 1] = 0xff;
    }
    size_t full = 4 + 256 * 2 + 256 * 2;
    CHECK_EQ(parse_exact(f, full, &font, NULL), 0);
    CHECK_EQ(parse_exact(f, full - 1, &font, NULL), -EINVAL);
    CHECK_EQ(parse_exact(f, full - 2, &font, NULL), -EINVAL);
}

static uint64_t rng_state = 0x2545f4914f6cdd1d;

static uint32_t rng(void)
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return (uint32_t)((rng_state * 0x9e3779b97f4a7c15ull) >> 32);
}

/* Mutants of the real font and the PSF2 font: 0 or -EINVAL, never a crash. */
TEST(psf_survives_random_mutations)
{
    static uint8_t m[FONT_CAP];
    struct psf2_builder b;
    build_psf2(&b, 32, 1);
    put(&b, psf2_table, sizeof psf2_table);
    for (int iter = 0; iter < 10000; iter++) {
        const uint8_t *src = (iter & 1) ? b.buf : real_font;
        size_t len = (iter & 1) ? b.len : real_len;
        memcpy(m, src, len);
        int flips = 1 + rng() % 4;
        for (int i = 0; i < flips; i++) {
            /* Favour the header, where the sizes are. */
            size_t pos = (rng() % 2) ? rng() % 32 : rng() % len;
            m[pos % len] = (uint8_t)rng();
        }
        if (rng() % 4 == 0)
            len = rng() % (len + 1);
        uint8_t *copy;
        int r = parse_exact(m, len, &font, &copy);
        CHECK(r == 0 || r == -EINVAL);
        if (r == 0) { /* every mapped glyph lies inside the buffer */
            for (int c = 0; c < 256; c++) {
                const uint8_t *g = psf_glyph(&font, (uint8_t)c);
                CHECK(g >= copy && g + font.bytes_per_glyph <= copy + len);
            }
        }
        free(copy);
    }
}

int main(int argc, char **argv)
{
    if (load_real_font(argc > 1 ? argv[1] : NULL) < 0) {
        fprintf(stderr,
                "test_psf: cannot read %s (install console-setup-linux, or "
                "pass an unpacked PSF1 font as argv[1])\n",
                argc > 1 ? argv[1] : LAT15_GZ);
        return 2;
    }
    RUN(psf_parses_real_psf1_font);
    RUN(psf_rejects_truncated_real_font);
    RUN(psf_parses_psf2_without_table);
    RUN(psf_parses_psf2_with_table);
    RUN(psf_wide_code_points_and_replacement);
    RUN(psf_unmapped_falls_back_to_question_mark);
    RUN(psf_rejects_truncated_header);
    RUN(psf_rejects_bad_magic);
    RUN(psf_rejects_short_glyph_data);
    RUN(psf_rejects_bad_dimensions);
    RUN(psf_rejects_table_running_off_the_end);
    RUN(psf_rejects_psf1_table_running_off_the_end);
    RUN(psf_survives_random_mutations);
    return check_summary();
}
