/*
 * Helpers shared by the GL host tests: a context whose GL units are pixels,
 * and reading one pixel back.
 *
 * gl_test_pixels() makes a fresh w x h context and sets both matrices so
 * that a vertex (x, y) lands on buffer column x, row y (top row 0, y
 * pointing down), with z passed to depth unchanged (z = 0..1 maps to depth
 * 0..1). Tests can then place edges and pixel centres exactly.
 *
 * Portable: host only.
 * See: docs/gl.md
 */
#pragma once

#include <stdint.h>

#include "GL/emgl.h"
#include "GL/gl.h"

static inline struct emgl_context *gl_test_pixels(int w, int h)
{
    struct emgl_context *c = emgl_create_context(w, h);
    glMatrixMode(GL_PROJECTION);
    glLoadIdentity();
    /* x: 0..w; y: 0 at the top; z: glOrtho maps -near..-far to -1..1, so
     * near 0 and far -1 give window depth = z. */
    glOrtho(0.0, w, h, 0.0, 0.0, -1.0);
    glMatrixMode(GL_MODELVIEW);
    glLoadIdentity();
    return c;
}

/* The pixel at column x, row y (top row 0) as 0x00RRGGBB. */
static inline uint32_t gl_test_px(int x, int y)
{
    return emgl_framebuffer()[y * emgl_width() + x];
}

/* Draws the axis-aligned rectangle [x0,x1) x [y0,y1) at depth z. */
static inline void gl_test_rect(float x0, float y0, float x1, float y1, float z)
{
    glBegin(GL_QUADS);
    glTexCoord2f(0.0f, 0.0f);
    glVertex3f(x0, y0, z);
    glTexCoord2f(1.0f, 0.0f);
    glVertex3f(x1, y0, z);
    glTexCoord2f(1.0f, 1.0f);
    glVertex3f(x1, y1, z);
    glTexCoord2f(0.0f, 1.0f);
    glVertex3f(x0, y1, z);
    glEnd();
}
