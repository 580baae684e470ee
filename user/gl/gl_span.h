/*
 * What the triangle setup (gl_raster.c) hands the span loop (gl_span.c).
 *
 * Portable: built for Ember (musl) and for Linux host tests.
 * See: docs/gl.md
 */
#pragma once

#include "gl_raster.h"

/* Colour-like attributes interpolated linearly in screen space. */
enum gl_span_chan {
    GL_SPAN_R,
    GL_SPAN_G,
    GL_SPAN_B,
    GL_SPAN_A,
    GL_SPAN_FOG,
    GL_SPAN_CHANS
};

/*
 * One triangle's planes: each attribute a at pixel centre (px, py) is
 * a0 + da_dx * (px - x0) + da_dy * (py - y0). u and v are s/w and t/w
 * already scaled by the chosen level's size and by 2^16; dividing them by
 * inv_w gives 16.16 texel coordinates (the perspective-correct step).
 */
struct gl_span_tri {
    float x0, y0;
    float iw0, diw_dx, diw_dy;
    /* |diw_dx| over a whole segment, divided by the drift allowed (a
     * power of two, so exact): a segment is halved while this is more
     * than 1/w (gl_span.c). */
    float iw_drift;
    float u0, du_dx, du_dy;
    float v0, dv_dx, dv_dy;
    double z0, dz_dx, dz_dy;
    /*
     * The same depth plane in the span loop's integers (GL_SPAN_Z_ONE is
     * depth 1.0) from the centre of pixel (zx, zy), when its gradients are
     * small enough that no span can overflow them (z_fixed): then a span
     * starts with integer products only, no float work.
     */
    bool z_fixed;
    int zx, zy;
    int64_t zi0, dzi_dx, dzi_dy;
    /*
     * The u/w, v/w and 1/w planes in integers (persp_fixed), from the
     * centre of pixel (zx, zy): 1/w times 2^GL_SPAN_IW_BITS over its
     * largest vertex value, u/w and v/w 2^uw_shift times more, so that
     * u = (uwi / iwi) >> uw_shift. Left off (the float planes draw) when a
     * value could leave the ranges that keep every product in 64 bits.
     * Under TCG an integer multiply costs a fraction of a float operation.
     */
    bool persp_fixed;
    int uw_shift;
    int64_t iwi0, diwi_dx, diwi_dy, iwi_drift;
    int64_t uwi0, duwi_dx, duwi_dy;
    int64_t vwi0, dvwi_dx, dvwi_dy;
    float c0[GL_SPAN_CHANS], dc_dx[GL_SPAN_CHANS], dc_dy[GL_SPAN_CHANS];
    /* All three vertices share colour and fog (world surfaces, text):
     * then every span starts from c_fix, 16.16, with no float work. */
    bool c_const;
    int32_t c_fix[GL_SPAN_CHANS];
    const struct gl_texlevel *lv; /* NULL: texturing off or incomplete */
    const struct gl_texture *tex;
    bool linear; /* bilinear, else nearest */
};

/* Pixels between two perspective divisions: 16 (a power of two)... */
#define GL_SPAN_SEG_SHIFT 4
#define GL_SPAN_SEG       (1 << GL_SPAN_SEG_SHIFT)
/* ...halved down to GL_SPAN_SEG_MIN while 1/w changes by more than this
 * fraction (a power of two) over one segment. */
#define GL_SPAN_SEG_MIN   4
#define GL_SPAN_DRIFT     0.25f

/* The integer 1/w plane's largest vertex value is about 2^GL_SPAN_IW_BITS;
 * u/w and v/w planes and their steps stay below 2^GL_SPAN_UW_BITS. */
#define GL_SPAN_IW_BITS    40
#define GL_SPAN_UW_BITS    48
/* The reciprocal of 1/w: 2^GL_SPAN_RECIP_BITS / iwi. */
#define GL_SPAN_RECIP_BITS 62

/* Depth 1.0 in the span loop: the buffer's UINT32_MAX, with 16 more bits
 * of fraction while stepping. */
#define GL_SPAN_Z_DROP 16
#define GL_SPAN_Z_ONE  ((int64_t)UINT32_MAX << GL_SPAN_Z_DROP)

/* Shades pixels xa..xb-1 of row y (0 <= xa < xb <= width). */
void gl_span_draw(struct emgl_context *c, const struct gl_span_tri *t, int y,
                  int xa, int xb);
