/*
 * Pixel transfer between client memory and 0xAARRGGBB words.
 *
 * Every texture and the colour buffer hold one 32-bit word per pixel, so
 * each upload converts once, here, and the rasteriser reads a single
 * layout. Rows are padded to GL_UNPACK_ALIGNMENT / GL_PACK_ALIGNMENT bytes,
 * as OpenGL specifies (section 3.6.4); the other pixel-store parameters
 * (row length, skips, byte swapping) keep their initial values.
 *
 * Locking: none; one thread draws with a context.
 * Portable: built for Ember (musl) and for Linux host tests.
 * See: docs/gl.md
 */
#include "gl_pixels.h"

/* Bit positions of the components in a 0xAARRGGBB word. */
#define SHIFT_A 24
#define SHIFT_R 16
#define SHIFT_G 8
#define BYTE    0xffu

int gl_pixels_size(GLenum format, GLenum type)
{
    if (type == GL_UNSIGNED_INT_8_8_8_8_REV)
        return (format == GL_RGBA || format == GL_BGRA) ? 4 : 0;
    if (type != GL_UNSIGNED_BYTE)
        return 0;
    switch (format) {
    case GL_RGBA:
    case GL_BGRA:
        return 4;
    case GL_RGB:
        return 3;
    case GL_LUMINANCE_ALPHA:
        return 2;
    case GL_LUMINANCE:
    case GL_ALPHA:
        return 1;
    default:
        return 0;
    }
}

size_t gl_pixels_stride(int width, int bpp, int alignment)
{
    size_t row = (size_t)width * (size_t)bpp;
    size_t a = (size_t)alignment;
    return (row + a - 1) / a * a;
}

static uint32_t argb(uint32_t a, uint32_t r, uint32_t g, uint32_t b)
{
    return a << SHIFT_A | r << SHIFT_R | g << SHIFT_G | b;
}

uint32_t gl_pixels_unpack(GLenum format, const uint8_t *src)
{
    switch (format) {
    case GL_RGBA:
        return argb(src[3], src[0], src[1], src[2]);
    case GL_BGRA:
        return argb(src[3], src[2], src[1], src[0]);
    case GL_RGB:
        return argb(BYTE, src[0], src[1], src[2]);
    case GL_LUMINANCE_ALPHA:
        return argb(src[1], src[0], src[0], src[0]);
    case GL_LUMINANCE:
        return argb(BYTE, src[0], src[0], src[0]);
    default: /* GL_ALPHA */
        return argb(src[0], BYTE, BYTE, BYTE);
    }
}

void gl_pixels_pack(GLenum format, uint32_t p, uint8_t *dst)
{
    uint8_t a = (uint8_t)(p >> SHIFT_A), r = (uint8_t)(p >> SHIFT_R);
    uint8_t g = (uint8_t)(p >> SHIFT_G), b = (uint8_t)p;
    switch (format) {
    case GL_RGBA:
        dst[0] = r;
        dst[1] = g;
        dst[2] = b;
        dst[3] = a;
        break;
    case GL_BGRA:
        dst[0] = b;
        dst[1] = g;
        dst[2] = r;
        dst[3] = a;
        break;
    case GL_RGB:
        dst[0] = r;
        dst[1] = g;
        dst[2] = b;
        break;
    case GL_LUMINANCE_ALPHA:
        dst[0] = r;
        dst[1] = a;
        break;
    case GL_LUMINANCE:
        dst[0] = r;
        break;
    default: /* GL_ALPHA */
        dst[0] = a;
        break;
    }
}
