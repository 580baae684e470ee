/*
 * PSF console fonts (version 1 and 2) read from memory.
 *
 * The console draws text from a PSF font: the format Linux's console and
 * Debian's console-setup use, a short header followed by one bitmap per
 * glyph and, optionally, a table saying which Unicode code points each glyph
 * draws. psf_parse() checks the header against the buffer's length and
 * builds ascii_map, so drawing a character is one array lookup and needs no
 * knowledge of the file format. The console only draws code points 0..255.
 *
 * Portable: also built into tests/host/test_psf.c (it touches no hardware;
 * it lives here beside the console that uses it).
 * See: docs/console.md
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

struct psf_font {
    const uint8_t *glyphs; /* points into the caller's buffer */
    uint32_t glyph_count, width, height, bytes_per_row, bytes_per_glyph;
    /*
     * Glyph index for code points 0..255: from the unicode table when
     * present, identity otherwise; unmapped -> the glyph for '?' if that is
     * mapped, else glyph 0.
     */
    uint16_t ascii_map[256];
};

/*
 * Parses the PSF1 or PSF2 font in [data, data + len) into *out. Returns 0,
 * or -EINVAL for a malformed font: bad magic, a header, glyph data or unicode
 * table that runs past len, zero dimensions, or width > 32. Never reads
 * outside the buffer. The font's buffer must outlive *out, which points into
 * it. Only sequence-free code points up to 255 are taken from the unicode
 * table; the first glyph listing a code point gets it.
 * Context: any; does not allocate or sleep.
 */
int psf_parse(const void *data, size_t len, struct psf_font *out);

/* Pointer to the glyph bitmap (bytes_per_glyph bytes) for code point c. */
const uint8_t *psf_glyph(const struct psf_font *f, uint8_t c);
