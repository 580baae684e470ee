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
 * already scaled by the chosen level's size; dividing them by inv_w gives
 * texel coordinates (the perspective-correct step).
 */
struct gl_span_tri {
    float x0, y0;
    float iw0, diw_dx, diw_dy;
    float u0, du_dx, du_dy;
    float v0, dv_dx, dv_dy;
    double z0, dz_dx, dz_dy;
    float c0[GL_SPAN_CHANS], dc_dx[GL_SPAN_CHANS], dc_dy[GL_SPAN_CHANS];
    /* All three vertices share colour and fog (world surfaces, text):
     * then every span starts from c_fix, 16.16, with no float work. */
    bool c_const;
    int32_t c_fix[GL_SPAN_CHANS];
    const struct gl_texlevel *lv; /* NULL: texturing off or incomplete */
    const struct gl_texture *tex;
    bool linear; /* bilinear, else nearest */
};

/* Shades pixels xa..xb-1 of row y (0 <= xa < xb <= width). */
void gl_span_draw(struct emgl_context *c, const struct gl_span_tri *t, int y,
                  int xa, int xb);
