/*
 * Triangle setup and the walk down its rows.
 *
 * Vertices are snapped to 28.4 fixed point (1/16 pixel). From then on the
 * question "which pixels does this triangle cover" is answered with
 * integers only, exactly: a pixel belongs to the triangle when its centre
 * lies inside, and a centre exactly on an edge belongs to the triangle on
 * the edge's right (for a left edge) or below (for a top edge). Each row's
 * first and last pixel come from an exact ceiling division on the two
 * snapped endpoints of the edge, ordered top to bottom, so two triangles
 * sharing an edge compute the same boundary and every pixel of the edge is
 * drawn by exactly one of them: no cracks, no double blending.
 *
 * The attributes get plane equations (value and x/y gradients) in float
 * from the snapped positions; depth in double for its 32 bits. The
 * texture level is chosen once per triangle from the texel-per-pixel
 * ratio at its vertex nearest the eye, where it is largest.
 *
 * Locking: none; one thread draws with a context.
 * Portable: built for Ember (musl) and for Linux host tests.
 * See: docs/gl.md
 */
#include <math.h>

#include "gl_span.h"
#include "gl_texture.h"

#define SUBPIX_BITS      4
#define SUBPIX           (1 << SUBPIX_BITS)
#define HALF_PIXEL       (SUBPIX / 2)
/* Colours are 0..255 in 16.16 fixed point in the span loop. */
#define BYTE_MAX         255.0f
#define FIX_ONE          65536
/* The offset units of glPolygonOffset: one step of a 24-bit depth buffer. */
#define OFFSET_UNIT      (1.0 / 16777216.0)
/* Steepest depth step (in depth ranges per pixel) kept in integers: with
 * 2^48 units per range and sides up to 2^12, products stay below 2^62. */
#define Z_FIXED_MAX_STEP 2.0

struct svert {
    int32_t x, y; /* 28.4 */
    const struct gl_winvert *w;
};

/* ceil(a / b) for b > 0, exact for either sign of a. */
static int64_t ceil_div(int64_t a, int64_t b)
{
    return a >= 0 ? (a + b - 1) / b : -((-a) / b);
}

/* The first column whose centre is at or right of edge top->bot on row. */
static int edge_col(const struct svert *top, const struct svert *bot, int row)
{
    int64_t dy = bot->y - top->y, dx = bot->x - top->x;
    int64_t yc = (int64_t)row * SUBPIX + HALF_PIXEL;
    int64_t num = ((int64_t)top->x - HALF_PIXEL) * dy + (yc - top->y) * dx;
    return (int)ceil_div(num, (int64_t)SUBPIX * dy);
}

/* The first row whose centre is at or below y (28.4). */
static int first_row(int32_t y)
{
    return (int)ceil_div((int64_t)y - HALF_PIXEL, SUBPIX);
}

static int32_t snap(float v)
{
    return (int32_t)floorf(v * (float)SUBPIX + 0.5f);
}

/* The pixel rectangle drawing may touch: viewport, scissor, buffer. */
static void clip_rect(const struct emgl_context *c, int *x0, int *y0, int *x1,
                      int *y1)
{
    int ax = c->vp_x, ay = c->height - c->vp_y - c->vp_h;
    int bx = c->vp_x + c->vp_w, by = c->height - c->vp_y;
    if (c->scissor_test) {
        int sx0 = c->sc_x, sy0 = c->height - c->sc_y - c->sc_h;
        int sx1 = c->sc_x + c->sc_w, sy1 = c->height - c->sc_y;
        ax = ax > sx0 ? ax : sx0;
        ay = ay > sy0 ? ay : sy0;
        bx = bx < sx1 ? bx : sx1;
        by = by < sy1 ? by : sy1;
    }
    *x0 = ax > 0 ? ax : 0;
    *y0 = ay > 0 ? ay : 0;
    *x1 = bx < c->width ? bx : c->width;
    *y1 = by < c->height ? by : c->height;
}

/* Should a triangle of this window-space signed area be dropped? */
static bool culled(const struct emgl_context *c, int64_t area_down, bool *front)
{
    /* Rows grow downwards; OpenGL's window y grows upwards: negate. */
    bool ccw = area_down < 0;
    *front = (c->front_face == GL_CCW) == ccw;
    if (!c->cull)
        return false;
    if (c->cull_face == GL_FRONT_AND_BACK)
        return true;
    return (c->cull_face == GL_FRONT) == *front;
}

/* a0 and the gradients of one attribute given at the three vertices. */
static void plane(const float p[3][2], const float a[3], float inv_area,
                  float *a0, float *dx, float *dy)
{
    float e1x = p[1][0] - p[0][0], e1y = p[1][1] - p[0][1];
    float e2x = p[2][0] - p[0][0], e2y = p[2][1] - p[0][1];
    float d1 = a[1] - a[0], d2 = a[2] - a[0];
    *a0 = a[0];
    *dx = (d1 * e2y - d2 * e1y) * inv_area;
    *dy = (d2 * e1x - d1 * e2x) * inv_area;
}

static bool level_ok(const struct gl_texture *t, int l)
{
    int w = t->level[0].width >> l, h = t->level[0].height >> l;
    w = w > 0 ? w : 1;
    h = h > 0 ? h : 1;
    return t->level[l].texels != NULL && t->level[l].width == w &&
           t->level[l].height == h;
}

static bool is_mipmap_filter(GLenum f)
{
    return f != GL_NEAREST && f != GL_LINEAR;
}

/*
 * The level and filter for a texture drawn with texel/pixel ratio rho,
 * given as rho^2 (OpenGL's lambda = log2(rho), section 3.8.1). The
 * *_MIPMAP_LINEAR filters take the nearest level rather than blending two.
 */
static int choose_level(const struct gl_texture *t, float rho2, bool *linear)
{
    if (rho2 <= 1.0f || !is_mipmap_filter(t->min_filter)) {
        GLenum f = rho2 <= 1.0f ? t->mag_filter : t->min_filter;
        *linear = f == GL_LINEAR;
        return 0;
    }
    *linear = t->min_filter == GL_LINEAR_MIPMAP_NEAREST ||
              t->min_filter == GL_LINEAR_MIPMAP_LINEAR;
    int want = (int)floorf(0.5f * log2f(rho2) + 0.5f);
    int l = 0;
    while (l < want && l + 1 < GL_CTX_MAX_LEVELS && level_ok(t, l + 1))
        l++;
    return l;
}

/* Screens up to this many pixels a side keep the integer planes' sums
 * in 64 bits: a span's start is its plane at most this far from (zx, zy). */
#define PERSP_MAX_SIDE  4096.0
/* The largest shift between the 1/w and the u/w scales. */
#define PERSP_MAX_SHIFT 40

/*
 * One float plane at the centre of pixel (zx, zy), and its steps, times
 * scale, rounded to integers; false if the value reaches 2^GL_SPAN_UW_BITS
 * or a step PERSP_MAX_SIDE times less (so that anywhere on a screen of
 * that side the plane stays below 2^(GL_SPAN_UW_BITS + 2)).
 */
static bool fixed_plane(const struct gl_span_tri *t, float a0, float dx,
                        float dy, double scale, int64_t out[3])
{
    double px = (double)t->zx + 0.5 - t->x0, py = (double)t->zy + 0.5 - t->y0;
    double v[3] = {((double)a0 + (double)dx * px + (double)dy * py) * scale,
                   (double)dx * scale, (double)dy * scale};
    double top = ldexp(1.0, GL_SPAN_UW_BITS);
    for (int i = 0; i < 3; i++) {
        double limit = i == 0 ? top : top / PERSP_MAX_SIDE;
        if (!(fabs(v[i]) < limit))
            return false;
        out[i] = llround(v[i]);
    }
    return true;
}

/* |a0| + PERSP_MAX_SIDE (|dx| + |dy|): a plane's bound on the screen. */
static double plane_bound(float a0, float dx, float dy)
{
    return fabs((double)a0) +
           PERSP_MAX_SIDE * (fabs((double)dx) + fabs((double)dy));
}

/*
 * The texture planes in integers (gl_span.h: persp_fixed), so that spans
 * start and divide without float work. 1/w is scaled so that its largest
 * vertex value iw_max becomes about 2^GL_SPAN_IW_BITS; u/w and v/w by
 * 2^uw_shift more, as far as keeps them below 2^GL_SPAN_UW_BITS on the
 * whole screen, at most PERSP_MAX_SHIFT. Then every sum and product of a
 * span fits in 64 bits, and u/w times a reciprocal of 1/w in 128.
 */
static void setup_fixed_persp(struct gl_span_tri *t, float iw_max)
{
    int e;
    t->persp_fixed = false;
    if (!(iw_max > 0.0f))
        return;
    frexp(iw_max, &e); /* iw_max = m 2^e, 1/2 <= m < 1 */
    double iw_scale = ldexp(1.0, GL_SPAN_IW_BITS - e);
    int64_t p[3];
    if (!fixed_plane(t, t->iw0, t->diw_dx, t->diw_dy, iw_scale, p))
        return;
    t->iwi0 = p[0];
    t->diwi_dx = p[1];
    t->diwi_dy = p[2];
    t->iwi_drift = llround(fabs((double)t->iw_drift) * iw_scale);
    double m = fmax(plane_bound(t->u0, t->du_dx, t->du_dy),
                    plane_bound(t->v0, t->dv_dx, t->dv_dy)) *
               iw_scale;
    int shift = PERSP_MAX_SHIFT;
    if (m > 0.0) {
        frexp(m, &e); /* m < 2^e */
        shift = GL_SPAN_UW_BITS - e < shift ? GL_SPAN_UW_BITS - e : shift;
    }
    if (shift < 0)
        return;
    double uw_scale = ldexp(iw_scale, shift);
    int64_t u[3], v[3];
    if (!fixed_plane(t, t->u0, t->du_dx, t->du_dy, uw_scale, u) ||
        !fixed_plane(t, t->v0, t->dv_dx, t->dv_dy, uw_scale, v))
        return;
    t->uwi0 = u[0];
    t->duwi_dx = u[1];
    t->duwi_dy = u[2];
    t->vwi0 = v[0];
    t->dvwi_dx = v[1];
    t->dvwi_dy = v[2];
    t->uw_shift = shift;
    t->persp_fixed = true;
}

/* Texture planes: u = s/w and v = t/w in texels of the chosen level. */
static void setup_texture(struct emgl_context *c, const struct svert v[3],
                          const float p[3][2], float inv_area,
                          struct gl_span_tri *t)
{
    t->lv = NULL;
    if (!c->texture_2d)
        return;
    const struct gl_texture *tex = gl_texture_bound(c);
    if (tex->level[0].texels == NULL)
        return; /* incomplete: texturing is off (section 3.8.9) */
    float iw[3], sw[3], tw[3];
    int near = 0;
    for (int i = 0; i < 3; i++) {
        iw[i] = v[i].w->inv_w;
        sw[i] = v[i].w->attr[GL_ATTR_S] * iw[i] * (float)tex->level[0].width;
        tw[i] = v[i].w->attr[GL_ATTR_T] * iw[i] * (float)tex->level[0].height;
        if (iw[i] > iw[near])
            near = i;
    }
    plane(p, iw, inv_area, &t->iw0, &t->diw_dx, &t->diw_dy);
    t->iw_drift = fabsf(t->diw_dx) * (float)GL_SPAN_SEG / GL_SPAN_DRIFT;
    plane(p, sw, inv_area, &t->u0, &t->du_dx, &t->du_dy);
    plane(p, tw, inv_area, &t->v0, &t->dv_dx, &t->dv_dy);
    /* Derivatives of u = sw/iw at the nearest vertex (quotient rule). */
    float u = sw[near] / iw[near], vv = tw[near] / iw[near];
    float ux = (t->du_dx - u * t->diw_dx) / iw[near];
    float uy = (t->du_dy - u * t->diw_dy) / iw[near];
    float vx = (t->dv_dx - vv * t->diw_dx) / iw[near];
    float vy = (t->dv_dy - vv * t->diw_dy) / iw[near];
    float rx = ux * ux + vx * vx, ry = uy * uy + vy * vy;
    int l = choose_level(tex, rx > ry ? rx : ry, &t->linear);
    /* To the level's texels, and to 16.16 fixed point: both powers of
     * two, so exact, and the span loop needs no multiply to convert. */
    float scale = (float)FIX_ONE / (float)(1 << l);
    t->u0 *= scale;
    t->du_dx *= scale;
    t->du_dy *= scale;
    t->v0 *= scale;
    t->dv_dx *= scale;
    t->dv_dy *= scale;
    t->tex = tex;
    t->lv = &tex->level[l];
    setup_fixed_persp(t, iw[near]);
}

/*
 * The depth plane in integers, for spans that start without float work:
 * the value at the centre of the pixel under vertex 0 and the steps per
 * pixel, rounded once here. Left off (z_fixed false) when a gradient is
 * so steep (over Z_FIXED_MAX_STEP of the whole range per pixel, a sliver
 * seen edge-on) that a step times a buffer side could overflow; such
 * triangles take the double-precision path.
 */
static void setup_fixed_depth(struct gl_span_tri *t, const float p0[2])
{
    const double one = (double)GL_SPAN_Z_ONE;
    t->zx = (int)floorf(p0[0]);
    t->zy = (int)floorf(p0[1]);
    t->z_fixed = fabs(t->dz_dx) <= Z_FIXED_MAX_STEP &&
                 fabs(t->dz_dy) <= Z_FIXED_MAX_STEP &&
                 fabs(t->z0) <= Z_FIXED_MAX_STEP;
    if (!t->z_fixed)
        return;
    double dx = (double)t->zx + 0.5 - t->x0, dy = (double)t->zy + 0.5 - t->y0;
    t->zi0 = llround((t->z0 + t->dz_dx * dx + t->dz_dy * dy) * one);
    t->dzi_dx = llround(t->dz_dx * one);
    t->dzi_dy = llround(t->dz_dy * one);
}

static void setup_planes(struct emgl_context *c, const struct svert v[3],
                         int64_t area2, struct gl_span_tri *t)
{
    float p[3][2];
    for (int i = 0; i < 3; i++) {
        p[i][0] = (float)v[i].x / (float)SUBPIX;
        p[i][1] = (float)v[i].y / (float)SUBPIX;
    }
    /* area2 is in 1/256 pixel^2: twice the area in pixels is area2/256. */
    double inv_area = (double)(SUBPIX * SUBPIX) / (double)area2;
    t->x0 = p[0][0];
    t->y0 = p[0][1];
    /* Float planes: float is exact enough, and cheaper under TCG. */
    float inv_area_f = (float)inv_area;
    t->c_const = true;
    for (int ch = 0; ch < GL_SPAN_CHANS; ch++) {
        const float *a0 = &v[0].w->attr[GL_ATTR_R + ch];
        if (*a0 != v[1].w->attr[GL_ATTR_R + ch] ||
            *a0 != v[2].w->attr[GL_ATTR_R + ch])
            t->c_const = false;
        float c = *a0 < 0.0f ? 0.0f : *a0 > BYTE_MAX ? BYTE_MAX : *a0;
        t->c_fix[ch] = (int32_t)(c * (float)FIX_ONE + (float)(FIX_ONE / 2));
    }
    for (int ch = 0; ch < GL_SPAN_CHANS && !t->c_const; ch++) {
        float a[3];
        for (int i = 0; i < 3; i++)
            a[i] = v[i].w->attr[GL_ATTR_R + ch];
        plane(p, a, inv_area_f, &t->c0[ch], &t->dc_dx[ch], &t->dc_dy[ch]);
    }
    /* Depth in double: 32 bits of it reach the buffer. */
    double z[3] = {v[0].w->z, v[1].w->z, v[2].w->z};
    double e1x = p[1][0] - p[0][0], e1y = p[1][1] - p[0][1];
    double e2x = p[2][0] - p[0][0], e2y = p[2][1] - p[0][1];
    t->dz_dx = ((z[1] - z[0]) * e2y - (z[2] - z[0]) * e1y) * inv_area;
    t->dz_dy = ((z[2] - z[0]) * e1x - (z[1] - z[0]) * e2x) * inv_area;
    t->z0 = z[0];
    if (c->offset_fill) {
        double m = fmax(fabs(t->dz_dx), fabs(t->dz_dy));
        t->z0 += m * c->offset_factor + OFFSET_UNIT * c->offset_units;
    }
    setup_fixed_depth(t, p[0]);
    setup_texture(c, v, p, inv_area_f, t);
}

static void swap(struct svert *a, struct svert *b)
{
    struct svert t = *a;
    *a = *b;
    *b = t;
}

void gl_raster_triangle(struct emgl_context *c, const struct gl_winvert *a,
                        const struct gl_winvert *b, const struct gl_winvert *d)
{
    struct svert v[3] = {{snap(a->x), snap(a->y), a},
                         {snap(b->x), snap(b->y), b},
                         {snap(d->x), snap(d->y), d}};
    int64_t area2 = (int64_t)(v[1].x - v[0].x) * (v[2].y - v[0].y) -
                    (int64_t)(v[2].x - v[0].x) * (v[1].y - v[0].y);
    if (area2 == 0)
        return;
    bool front;
    if (culled(c, area2, &front)) {
        c->stats.culled++;
        return;
    }
    if (c->polygon_mode[front ? 0 : 1] != GL_FILL)
        return; /* line and point modes draw nothing (docs/gl.md) */
    c->stats.triangles++;

    struct gl_span_tri t;
    uint64_t t0 = gl_now();
    setup_planes(c, v, area2, &t);
    uint64_t t1 = gl_now();
    c->stats.setup_ticks += t1 - t0;

    /* Sort top to bottom for the walk; the planes are already set. */
    if (v[1].y < v[0].y)
        swap(&v[0], &v[1]);
    if (v[2].y < v[0].y)
        swap(&v[0], &v[2]);
    if (v[2].y < v[1].y)
        swap(&v[1], &v[2]);
    int64_t cross = (int64_t)(v[1].x - v[0].x) * (v[2].y - v[0].y) -
                    (int64_t)(v[2].x - v[0].x) * (v[1].y - v[0].y);
    bool long_left = cross > 0; /* the middle vertex is on the right */

    int cx0, cy0, cx1, cy1;
    clip_rect(c, &cx0, &cy0, &cx1, &cy1);
    int r0 = first_row(v[0].y), r1 = first_row(v[1].y);
    int r2 = first_row(v[2].y);
    int start = r0 > cy0 ? r0 : cy0, end = r2 < cy1 ? r2 : cy1;
    for (int row = start; row < end; row++) {
        const struct svert *s0 = row < r1 ? &v[0] : &v[1];
        const struct svert *s1 = row < r1 ? &v[1] : &v[2];
        int xl = edge_col(&v[0], &v[2], row), xr = edge_col(s0, s1, row);
        if (!long_left) {
            int tmp = xl;
            xl = xr;
            xr = tmp;
        }
        xl = xl > cx0 ? xl : cx0;
        xr = xr < cx1 ? xr : cx1;
        if (xl < xr)
            gl_span_draw(c, &t, row, xl, xr);
    }
    c->stats.span_ticks += gl_now() - t1;
}
