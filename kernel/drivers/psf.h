/*
 * PSF console fonts (version 1 and 2) read from memory.
 *
 * The console draws text from a PSF font: the format Linux's console and
 * Debian's console-setup use, a short header followed by one bitmap per
 * glyph and, optionally, a table saying which Unicode code points each glyph
 * draws. psf_parse() checks the header against the buffer's length and
 * builds the maps from code points to glyphs: ascii_map, one array lookup,
 * for 0..255, and a sorted table searched by halves for the rest of
 * Unicode. A code point the font lacks draws the replacement glyph: the
 * font's U+FFFD if it has one, else its '?'.
 *
 * Portable: also built into tests/host/test_psf.c (it touches no hardware;
 * it lives here beside the console that uses it).
 * See: docs/console.md
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#define PSF_WIDE_MAX    2048   /* code points >= 256 kept from the table */
#define PSF_REPLACEMENT 0xFFFD /* Unicode's replacement character */

/* One code point above 255 and its glyph. */
struct psf_wide {
    uint32_t cp;
    uint16_t glyph;
};

struct psf_font {
    const uint8_t *glyphs; /* points into the caller's buffer */
    uint32_t glyph_count, width, height, bytes_per_row, bytes_per_glyph;
    /*
     * Glyph index for code points 0..255: from the unicode table when
     * present, identity otherwise; unmapped -> the replacement glyph.
     */
    uint16_t ascii_map[256];
    /* Code points >= 256, sorted, each once (the first glyph listing it). */
    struct psf_wide wide[PSF_WIDE_MAX];
    uint32_t wide_count;
    uint16_t replacement; /* U+FFFD's glyph, else '?''s, else 0 */
};

/*
 * Parses the PSF1 or PSF2 font in [data, data + len) into *out. Returns 0,
 * or -EINVAL for a malformed font: bad magic, a header, glyph data or unicode
 * table that runs past len, zero dimensions, or width > 32. Never reads
 * outside the buffer. The font's buffer must outlive *out, which points into
 * it. Sequence-free code points are taken from the unicode table (up to
 * PSF_WIDE_MAX of them above 255); the first glyph listing one gets it.
 * Context: any; does not allocate or sleep.
 */
int psf_parse(const void *data, size_t len, struct psf_font *out);

/* Pointer to the glyph bitmap (bytes_per_glyph bytes) for code point c. */
const uint8_t *psf_glyph(const struct psf_font *f, uint8_t c);

/*
 * The glyph index that draws Unicode code point cp: its own, or the
 * replacement glyph. Context: any.
 */
uint16_t psf_lookup(const struct psf_font *f, uint32_t cp);

/* Pointer to the bitmap of glyph `index` (< glyph_count). */
const uint8_t *psf_glyph_at(const struct psf_font *f, uint16_t index);
