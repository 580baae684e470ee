/*
 * The back half of the pipeline: clipped, projected triangles to pixels.
 *
 * gl_prim.c assembles primitives and transforms vertices to clip space;
 * gl_clip.c clips polygons to the view volume and projects them to window
 * coordinates (struct gl_winvert); gl_raster.c sets a triangle up and walks
 * its rows; gl_span.c shades the pixels of one row.
 *
 * Portable: built for Ember (musl) and for Linux host tests.
 * See: docs/gl.md
 */
#pragma once

#include "gl_context.h"

/* Attributes interpolated across a polygon, in this order. */
enum gl_attr {
    GL_ATTR_S,   /* texture s */
    GL_ATTR_T,   /* texture t */
    GL_ATTR_R,   /* colour, 0..255 */
    GL_ATTR_G,   /* */
    GL_ATTR_B,   /* */
    GL_ATTR_A,   /* */
    GL_ATTR_FOG, /* fog factor, 0 (all fog) .. 255 (none) */
    GL_ATTR_COUNT
};

/* A vertex in clip space: position and attributes. */
struct gl_clipvert {
    float pos[4]; /* x, y, z, w */
    float attr[GL_ATTR_COUNT];
};

/*
 * A vertex in window space. x and y are in framebuffer pixels with y
 * pointing down (row 0 at the top, the layout of the colour buffer); z is
 * the depth 0..1 after glDepthRange; inv_w = 1/w_clip.
 */
struct gl_winvert {
    float x, y, z;
    float inv_w;
    float attr[GL_ATTR_COUNT];
};

/*
 * Clips the convex polygon v[0..n-1] (clip space, 3 <= n <=
 * GL_CLIP_MAX_IN) against the view volume, projects it to the viewport and
 * hands its triangles to the rasteriser.
 */
#define GL_CLIP_MAX_IN 32
void gl_clip_polygon(struct emgl_context *c, const struct gl_clipvert *v,
                     int n);

/* Culls, sets up and fills one triangle (fill rule: docs/gl.md). */
void gl_raster_triangle(struct emgl_context *c, const struct gl_winvert *a,
                        const struct gl_winvert *b, const struct gl_winvert *d);
