/*
 * Whole-buffer operations: glClear, glReadPixels, glCopyTexSubImage2D.
 *
 * The colour buffer is stored top row first, because that is what the
 * platform's blit takes; OpenGL numbers window rows from the bottom. So
 * every call here that takes a window rectangle turns GL row y into buffer
 * row height - 1 - y: glReadPixels returns the bottom row first, as
 * OpenGL specifies, and glCopyTexSubImage2D puts it at texture row t = 0.
 * glClear honours the scissor box and the colour and depth write masks,
 * as OpenGL 1.1 section 4.2.3 requires.
 *
 * Locking: none; one thread draws with a context.
 * Portable: built for Ember (musl) and for Linux host tests.
 * See: docs/gl.md
 */
#include "gl_context.h"
#include "gl_pixels.h"
#include "gl_texture.h"

#define BYTE_MAX 255.0f
#define SH_R     16
#define SH_G     8
#define ALPHA_1  0xff000000u

static uint32_t to_byte(float v)
{
    return (uint32_t)(v * BYTE_MAX + 0.5f);
}

/* The buffer rows and columns of GL window rectangle (x, y, w, h),
 * cut to the buffer: buffer rows r0..r1-1, columns x0..x1-1. */
static void window_rect(const struct emgl_context *c, int x, int y, int w,
                        int h, int *x0, int *r0, int *x1, int *r1)
{
    int top = c->height - y - h, bot = c->height - y;
    *x0 = x > 0 ? x : 0;
    *x1 = x + w < c->width ? x + w : c->width;
    *r0 = top > 0 ? top : 0;
    *r1 = bot < c->height ? bot : c->height;
}

static void fill(uint32_t *p, uint32_t v, int n)
{
    for (int i = 0; i < n; i++)
        p[i] = v;
}

void glClear(GLbitfield mask)
{
    struct emgl_context *c = emgl_ctx_outside_begin();
    if (c == NULL)
        return;
    if (mask & ~(GLbitfield)(GL_COLOR_BUFFER_BIT | GL_DEPTH_BUFFER_BIT |
                             GL_STENCIL_BUFFER_BIT | GL_ACCUM_BUFFER_BIT)) {
        emgl_set_error(GL_INVALID_VALUE);
        return;
    }
    int x0 = 0, r0 = 0, x1 = c->width, r1 = c->height;
    if (c->scissor_test)
        window_rect(c, c->sc_x, c->sc_y, c->sc_w, c->sc_h, &x0, &r0, &x1, &r1);
    uint32_t rgb = to_byte(c->clear_color[0]) << SH_R |
                   to_byte(c->clear_color[1]) << SH_G |
                   to_byte(c->clear_color[2]);
    uint32_t keep = 0;
    for (int i = 0; i < 3; i++)
        if (!c->color_mask[i])
            keep |= 0xffu << (SH_R - SH_G * i);
    uint32_t depth = (uint32_t)((double)c->clear_depth * (double)UINT32_MAX);
    bool do_color = (mask & GL_COLOR_BUFFER_BIT) && keep != 0x00ffffffu;
    bool do_depth = (mask & GL_DEPTH_BUFFER_BIT) && c->depth_mask;
    uint64_t t0 = gl_now();
    /* One plain loop per buffer and row: the common case (no colour mask)
     * is a fill, which the compiler turns into wide stores. */
    for (int r = r0; r < r1; r++) {
        uint32_t *cp = c->color + (size_t)r * c->width;
        uint32_t *dp = c->depth + (size_t)r * c->width;
        if (do_color && keep == 0)
            fill(cp + x0, rgb, x1 - x0);
        else if (do_color)
            for (int x = x0; x < x1; x++)
                cp[x] = (rgb & ~keep) | (cp[x] & keep);
        if (do_depth)
            fill(dp + x0, depth, x1 - x0);
    }
    c->stats.clear_ticks += gl_now() - t0;
}

void glReadPixels(GLint x, GLint y, GLsizei width, GLsizei height,
                  GLenum format, GLenum type, GLvoid *pixels)
{
    struct emgl_context *c = emgl_ctx_outside_begin();
    if (c == NULL)
        return;
    int bpp = gl_pixels_size(format, type);
    if (bpp == 0) {
        emgl_set_error(GL_INVALID_ENUM);
        return;
    }
    if (width < 0 || height < 0) {
        emgl_set_error(GL_INVALID_VALUE);
        return;
    }
    size_t stride = gl_pixels_stride(width, bpp, c->pack_alignment);
    /* Output row j is window row y + j; pixels outside are left alone. */
    for (int j = 0; j < height; j++) {
        int r = c->height - 1 - (y + j);
        if (r < 0 || r >= c->height)
            continue;
        uint8_t *d = (uint8_t *)pixels + (size_t)j * stride;
        for (int i = 0; i < width; i++) {
            int col = x + i;
            if (col < 0 || col >= c->width)
                continue;
            uint32_t p = c->color[(size_t)r * c->width + col] | ALPHA_1;
            gl_pixels_pack(format, p, d + (size_t)i * bpp);
        }
    }
}

void glCopyTexSubImage2D(GLenum target, GLint level, GLint xoffset,
                         GLint yoffset, GLint x, GLint y, GLsizei width,
                         GLsizei height)
{
    struct emgl_context *c = emgl_ctx_outside_begin();
    if (c == NULL)
        return;
    struct gl_texlevel *lv =
        gl_texture_sub_level(c, target, level, xoffset, yoffset, width, height);
    if (lv == NULL)
        return;
    uint64_t t0 = gl_now();
    /* Texture row yoffset + j takes window row y + j; outside: black. */
    for (int j = 0; j < height; j++) {
        int r = c->height - 1 - (y + j);
        uint32_t *d = lv->texels + (size_t)(yoffset + j) * lv->width + xoffset;
        for (int i = 0; i < width; i++) {
            int col = x + i;
            uint32_t p = 0;
            if (r >= 0 && r < c->height && col >= 0 && col < c->width)
                p = c->color[(size_t)r * c->width + col];
            d[i] = p | ALPHA_1;
        }
    }
    c->stats.upload_ticks += gl_now() - t0;
}
