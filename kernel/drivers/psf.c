/*
 * PSF1/PSF2 font parser: header checks, glyph bounds, and the unicode table.
 *
 * PSF1 (from the Linux console, kbd's psf.h) is a 4-byte header: magic
 * 0x36 0x04, a mode byte (bit 0: 512 glyphs instead of 256; bits 1 and 2: a
 * unicode table follows the glyphs) and the glyph height in bytes; glyphs
 * are always 8 pixels wide. Its unicode table holds, per glyph, little-endian
 * u16 code points ended by 0xFFFF, where 0xFFFE starts combining sequences.
 * PSF2 has a 32-byte header of little-endian u32s (magic 72 b5 4a 86,
 * version, headersize, flags with bit 0 for a unicode table, length,
 * charsize, height, width); its table is UTF-8 per glyph ended by 0xFF, with
 * 0xFE starting sequences. Neither byte can occur in UTF-8, so both are
 * unambiguous.
 *
 * The font file comes from the disk, so every size is checked against len in
 * 64-bit arithmetic before it is used. Code points 0..255 go into a direct
 * map (the common case, one lookup); the others into a table that is
 * sorted once after parsing and searched by halves, since a console font
 * maps a few hundred of them at most and the table then fits in 16 KiB.
 *
 * Portable: also built into tests/host/test_psf.c.
 * See: docs/console.md
 */
#include "drivers/psf.h"

#include <stdbool.h>
#include <ember/errno.h>
#include "lib/portable.h"

/* PSF1, from kbd's src/psf.h. */
#define PSF1_MAGIC0      0x36
#define PSF1_MAGIC1      0x04
#define PSF1_HEADER_SIZE 4
#define PSF1_MODE512     0x01
#define PSF1_MODEHASTAB  0x02
#define PSF1_MODEHASSEQ  0x04
#define PSF1_WIDTH       8
#define PSF1_SEPARATOR   0xFFFF
#define PSF1_STARTSEQ    0xFFFE

/* PSF2, from the same header. */
#define PSF2_MAGIC       0x864ab572u /* bytes 72 b5 4a 86, read as LE u32 */
#define PSF2_HEADER_SIZE 32
#define PSF2_HAS_UNICODE 0x01
#define PSF2_SEPARATOR   0xFF
#define PSF2_STARTSEQ    0xFE

#define PSF_MAX_WIDTH 32
#define PSF_UNMAPPED  0xFFFF
#define PSF_MAP_SIZE  256

static uint32_t rd32le(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
           (uint32_t)p[3] << 24;
}

/* The first glyph to list a code point keeps it (see sort_wide()). */
static void map_code_point(struct psf_font *f, uint32_t cp, uint32_t glyph)
{
    if (cp < PSF_MAP_SIZE) {
        if (f->ascii_map[cp] == PSF_UNMAPPED)
            f->ascii_map[cp] = (uint16_t)glyph;
    } else if (f->wide_count < PSF_WIDE_MAX) {
        f->wide[f->wide_count++] = (struct psf_wide){cp, (uint16_t)glyph};
    }
}

/*
 * Sorts the wide table by code point (insertion sort: stable, so of two
 * entries for one code point the first listed stays first) and drops the
 * later duplicates.
 */
static void sort_wide(struct psf_font *f)
{
    for (uint32_t i = 1; i < f->wide_count; i++) {
        struct psf_wide e = f->wide[i];
        uint32_t j = i;
        while (j > 0 && f->wide[j - 1].cp > e.cp) {
            f->wide[j] = f->wide[j - 1];
            j--;
        }
        f->wide[j] = e;
    }
    uint32_t n = 0;
    for (uint32_t i = 0; i < f->wide_count; i++) {
        if (n == 0 || f->wide[n - 1].cp != f->wide[i].cp)
            f->wide[n++] = f->wide[i];
    }
    f->wide_count = n;
}

/* The glyph of a code point >= 256, or PSF_UNMAPPED. */
static uint16_t find_wide(const struct psf_font *f, uint32_t cp)
{
    uint32_t lo = 0, hi = f->wide_count;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (f->wide[mid].cp == cp)
            return f->wide[mid].glyph;
        if (f->wide[mid].cp < cp)
            lo = mid + 1;
        else
            hi = mid;
    }
    return PSF_UNMAPPED;
}

/*
 * Decodes one UTF-8 sequence of 2 to 4 bytes at p (its lead byte already
 * taken as b). Returns the bytes consumed after the lead and the code
 * point in *cp, or 0 (nothing consumed) for a bad or overlong sequence.
 */
static size_t utf8_tail(uint8_t b, const uint8_t *p, const uint8_t *end,
                        uint32_t *cp)
{
    size_t n;
    uint32_t v, min;
    if ((b & 0xE0) == 0xC0)
        n = 1, v = b & 0x1F, min = 0x80;
    else if ((b & 0xF0) == 0xE0)
        n = 2, v = b & 0x0F, min = 0x800;
    else if ((b & 0xF8) == 0xF0)
        n = 3, v = b & 0x07, min = 0x10000;
    else
        return 0;
    if ((size_t)(end - p) < n)
        return 0;
    for (size_t i = 0; i < n; i++) {
        if ((p[i] & 0xC0) != 0x80)
            return 0;
        v = v << 6 | (p[i] & 0x3F);
    }
    if (v < min)
        return 0;
    *cp = v;
    return n;
}

/* [p, end): the PSF1 table, u16 entries. */
static int psf1_table(struct psf_font *f, const uint8_t *p, const uint8_t *end)
{
    for (uint32_t g = 0; g < f->glyph_count; g++) {
        bool in_seq = false;
        for (;;) {
            if (end - p < 2)
                return -EINVAL;
            uint32_t u = (uint32_t)p[0] | (uint32_t)p[1] << 8;
            p += 2;
            if (u == PSF1_SEPARATOR)
                break;
            if (u == PSF1_STARTSEQ)
                in_seq = true;
            else if (!in_seq)
                map_code_point(f, u, g);
        }
    }
    return 0;
}

/*
 * [p, end): the PSF2 table, UTF-8. Bad sequences and stray bytes are
 * stepped over one byte at a time, which is safe because no byte of UTF-8
 * can be 0xFE or 0xFF.
 */
static int psf2_table(struct psf_font *f, const uint8_t *p, const uint8_t *end)
{
    for (uint32_t g = 0; g < f->glyph_count; g++) {
        bool in_seq = false;
        for (;;) {
            if (p == end)
                return -EINVAL;
            uint8_t b = *p++;
            if (b == PSF2_SEPARATOR)
                break;
            if (b == PSF2_STARTSEQ) {
                in_seq = true;
            } else if (in_seq) {
                continue;
            } else if (b < 0x80) {
                map_code_point(f, b, g);
            } else {
                uint32_t cp;
                size_t n = utf8_tail(b, p, end, &cp);
                p += n;
                if (n)
                    map_code_point(f, cp, g);
            }
        }
    }
    return 0;
}

static int parse_psf1(const uint8_t *d, size_t len, struct psf_font *f,
                      const uint8_t **table)
{
    uint8_t mode = d[2];
    f->glyph_count = (mode & PSF1_MODE512) ? 512 : 256;
    f->width = PSF1_WIDTH;
    f->height = d[3];
    f->bytes_per_row = 1;
    f->bytes_per_glyph = d[3];
    if (f->height == 0)
        return -EINVAL;
    uint64_t glyph_end =
        PSF1_HEADER_SIZE + (uint64_t)f->glyph_count * f->bytes_per_glyph;
    if (glyph_end > len)
        return -EINVAL;
    f->glyphs = d + PSF1_HEADER_SIZE;
    bool has_table = mode & (PSF1_MODEHASTAB | PSF1_MODEHASSEQ);
    *table = has_table ? d + glyph_end : NULL;
    return 0;
}

static int parse_psf2(const uint8_t *d, size_t len, struct psf_font *f,
                      const uint8_t **table)
{
    if (len < PSF2_HEADER_SIZE)
        return -EINVAL;
    uint32_t headersize = rd32le(d + 8);
    uint32_t flags = rd32le(d + 12);
    f->glyph_count = rd32le(d + 16);
    f->bytes_per_glyph = rd32le(d + 20);
    f->height = rd32le(d + 24);
    f->width = rd32le(d + 28);
    if (f->glyph_count == 0 || f->height == 0 || f->width == 0 ||
        f->width > PSF_MAX_WIDTH)
        return -EINVAL;
    /* A glyph bigger than rows * height is allowed; a smaller one is not. */
    f->bytes_per_row = (f->width + 7) / 8;
    if ((uint64_t)f->bytes_per_row * f->height > f->bytes_per_glyph)
        return -EINVAL;
    /* The map stores glyph indices in u16, with 0xFFFF meaning unmapped. */
    if (f->glyph_count >= PSF_UNMAPPED)
        return -EINVAL;
    if (headersize < PSF2_HEADER_SIZE || headersize > len)
        return -EINVAL;
    uint64_t glyph_end =
        headersize + (uint64_t)f->glyph_count * f->bytes_per_glyph;
    if (glyph_end > len)
        return -EINVAL;
    f->glyphs = d + headersize;
    *table = (flags & PSF2_HAS_UNICODE) ? d + glyph_end : NULL;
    return 0;
}

int psf_parse(const void *data, size_t len, struct psf_font *out)
{
    const uint8_t *d = data;
    const uint8_t *table = NULL;
    bool v1;
    int err;

    memset(out, 0, sizeof *out);
    if (len >= PSF1_HEADER_SIZE && d[0] == PSF1_MAGIC0 && d[1] == PSF1_MAGIC1) {
        v1 = true;
        err = parse_psf1(d, len, out, &table);
    } else if (len >= PSF2_HEADER_SIZE && rd32le(d) == PSF2_MAGIC) {
        v1 = false;
        err = parse_psf2(d, len, out, &table);
    } else {
        return -EINVAL;
    }
    if (err < 0)
        return err;

    for (int c = 0; c < PSF_MAP_SIZE; c++)
        out->ascii_map[c] = PSF_UNMAPPED;
    if (table == NULL) {
        for (uint32_t c = 0; c < PSF_MAP_SIZE && c < out->glyph_count; c++)
            out->ascii_map[c] = (uint16_t)c;
    } else {
        err = v1 ? psf1_table(out, table, d + len)
                 : psf2_table(out, table, d + len);
        if (err < 0)
            return err;
    }

    sort_wide(out);
    uint16_t fallback = find_wide(out, PSF_REPLACEMENT);
    if (fallback == PSF_UNMAPPED)
        fallback = out->ascii_map['?'];
    if (fallback == PSF_UNMAPPED)
        fallback = 0;
    out->replacement = fallback;
    for (int c = 0; c < PSF_MAP_SIZE; c++)
        if (out->ascii_map[c] == PSF_UNMAPPED)
            out->ascii_map[c] = fallback;
    return 0;
}

const uint8_t *psf_glyph(const struct psf_font *f, uint8_t c)
{
    return psf_glyph_at(f, f->ascii_map[c]);
}

uint16_t psf_lookup(const struct psf_font *f, uint32_t cp)
{
    if (cp < PSF_MAP_SIZE)
        return f->ascii_map[cp];
    uint16_t g = find_wide(f, cp);
    return g == PSF_UNMAPPED ? f->replacement : g;
}

const uint8_t *psf_glyph_at(const struct psf_font *f, uint16_t index)
{
    if (index >= f->glyph_count)
        index = 0;
    return f->glyphs + (size_t)index * f->bytes_per_glyph;
}
