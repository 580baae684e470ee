/*
 * Pixel transfer: converting between a program's pixel rectangles and the
 * library's 0xAARRGGBB words, for uploads, ReadPixels and GetTexImage.
 *
 * Portable: built for Ember (musl) and for Linux host tests.
 * See: docs/gl.md
 */
#pragma once

#include "gl_context.h"

/*
 * Bytes per pixel of (format, type), or 0 if this library does not convert
 * that pair. Accepted: RGBA, RGB, BGRA, LUMINANCE, LUMINANCE_ALPHA and ALPHA
 * with GL_UNSIGNED_BYTE, and RGBA/BGRA with GL_UNSIGNED_INT_8_8_8_8_REV
 * (the same bytes on a little-endian machine).
 */
int gl_pixels_size(GLenum format, GLenum type);

/* Bytes from one row to the next: width * bpp rounded up to alignment. */
size_t gl_pixels_stride(int width, int bpp, int alignment);

/* One pixel of `format` at src, as 0xAARRGGBB (absent alpha = 255). */
uint32_t gl_pixels_unpack(GLenum format, const uint8_t *src);

/* Writes argb as one pixel of `format` at dst. */
void gl_pixels_pack(GLenum format, uint32_t argb, uint8_t *dst);
