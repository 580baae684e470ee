/*
 * Clipping to the view volume, and the viewport transform.
 *
 * A polygon is clipped in homogeneous clip space against the six planes
 * -w <= x, y, z <= w, one plane after another (Sutherland-Hodgman), so
 * that what reaches the rasteriser lies inside the viewport and in front
 * of the near plane: w > 0, no division by zero, and window coordinates
 * small enough for the 28.4 fixed point of gl_raster.c. Attributes are
 * interpolated linearly in clip space, which is correct under perspective.
 *
 * A new vertex on a plane is always computed from the inside vertex
 * towards the outside one, whichever way the polygon walks the edge, so
 * two polygons sharing a clipped edge get bit-identical new vertices and
 * the fill rule still draws their common pixels once.
 *
 * Locking: none; one thread draws with a context.
 * Portable: built for Ember (musl) and for Linux host tests.
 * See: docs/gl.md
 */
#include "gl_raster.h"

/* Each plane can add one vertex. */
#define CLIP_PLANES  6
#define CLIP_MAX_OUT (GL_CLIP_MAX_IN + CLIP_PLANES)

/* Signed distance of v to plane p (inside when >= 0): w + x, w - x, ... */
static float plane_dist(const struct gl_clipvert *v, int p)
{
    float coord = v->pos[p / 2];
    return (p % 2 == 0) ? v->pos[3] + coord : v->pos[3] - coord;
}

static void lerp(const struct gl_clipvert *in, const struct gl_clipvert *out,
                 float t, struct gl_clipvert *r)
{
    for (int i = 0; i < 4; i++)
        r->pos[i] = in->pos[i] + t * (out->pos[i] - in->pos[i]);
    for (int i = 0; i < GL_ATTR_COUNT; i++)
        r->attr[i] = in->attr[i] + t * (out->attr[i] - in->attr[i]);
}

/* Clips src[0..n-1] against plane p into dst; returns the new count. */
static int clip_plane(const struct gl_clipvert *src, int n,
                      struct gl_clipvert *dst, int p)
{
    int m = 0;
    for (int i = 0; i < n; i++) {
        const struct gl_clipvert *a = &src[i], *b = &src[(i + 1) % n];
        float da = plane_dist(a, p), db = plane_dist(b, p);
        if (da >= 0.0f)
            dst[m++] = *a;
        if ((da >= 0.0f) != (db >= 0.0f)) {
            /* From the inside vertex to the outside one: see the top. */
            if (da >= 0.0f)
                lerp(a, b, da / (da - db), &dst[m++]);
            else
                lerp(b, a, db / (db - da), &dst[m++]);
        }
    }
    return m;
}

/* Bit p set: some vertex lies outside plane p. */
static unsigned outside_planes(const struct gl_clipvert *v, int n,
                               unsigned *all_out)
{
    unsigned any = 0, all = (1u << CLIP_PLANES) - 1;
    for (int i = 0; i < n; i++) {
        unsigned out = 0;
        for (int p = 0; p < CLIP_PLANES; p++)
            if (plane_dist(&v[i], p) < 0.0f)
                out |= 1u << p;
        any |= out;
        all &= out;
    }
    *all_out = all;
    return any;
}

/* Clip space to window space (section 2.10.1), y flipped to rows. */
static void project(const struct emgl_context *c, const struct gl_clipvert *v,
                    struct gl_winvert *w)
{
    float inv_w = 1.0f / v->pos[3];
    float nx = v->pos[0] * inv_w, ny = v->pos[1] * inv_w;
    float nz = v->pos[2] * inv_w;
    float half_w = 0.5f * (float)c->vp_w, half_h = 0.5f * (float)c->vp_h;
    w->x = (float)c->vp_x + (nx + 1.0f) * half_w;
    float y_up = (float)c->vp_y + (ny + 1.0f) * half_h;
    w->y = (float)c->height - y_up;
    w->z = c->depth_near + (nz + 1.0f) * 0.5f * (c->depth_far - c->depth_near);
    w->inv_w = inv_w;
    for (int i = 0; i < GL_ATTR_COUNT; i++)
        w->attr[i] = v->attr[i];
}

void gl_clip_polygon(struct emgl_context *c, const struct gl_clipvert *v, int n)
{
    struct gl_clipvert buf[2][CLIP_MAX_OUT];
    unsigned all_out;
    unsigned planes = outside_planes(v, n, &all_out);
    if (all_out != 0)
        return; /* wholly outside one plane */
    const struct gl_clipvert *cur = v;
    int which = 0;
    for (int p = 0; p < CLIP_PLANES && n >= 3; p++) {
        if (!(planes & (1u << p)))
            continue;
        n = clip_plane(cur, n, buf[which], p);
        cur = buf[which];
        which ^= 1;
    }
    if (n < 3)
        return;
    struct gl_winvert win[CLIP_MAX_OUT];
    for (int i = 0; i < n; i++) {
        if (!(cur[i].pos[3] > 0.0f))
            return; /* a degenerate polygon through the eye */
        project(c, &cur[i], &win[i]);
    }
    for (int i = 2; i < n; i++)
        gl_raster_triangle(c, &win[0], &win[i - 1], &win[i]);
}
