/*
 * The span loop: every pixel of one row of one triangle, through the
 * per-fragment operations of OpenGL 1.1 in their order: texturing and the
 * texture environment, fog, alpha test, depth test, blending, the colour
 * mask, the write.
 *
 * This is where the time goes, and under QEMU's TCG a float operation
 * costs about 35 times its native time while integer code costs 3 to 5
 * times, so the loop is integer only. Colour, fog and depth are stepped
 * in fixed point (16.16 for colour, depth with 48 fractional bits of the
 * 0..1 range). Texture coordinates are perspective-correct: u/w, v/w and
 * 1/w are linear in screen space, and the true u and v are computed with
 * one float division at the start of every GL_SPAN_SEG pixels, then
 * stepped linearly (16.16) in between. The error this leaves is tested
 * against a per-pixel float reference in tests/host/test_gl_texture.c.
 *
 * Locking: none; one thread draws with a context.
 * Portable: built for Ember (musl) and for Linux host tests.
 * See: docs/gl.md
 */
#include "gl_span.h"

#include <string.h>

/* Pixels between two perspective divisions: 16 (a power of two). */
#define GL_SPAN_SEG_SHIFT 4
#define GL_SPAN_SEG       (1 << GL_SPAN_SEG_SHIFT)
/* ...halved down to GL_SPAN_SEG_MIN while 1/w changes by more than this
 * fraction over one segment. */
#define GL_SPAN_SEG_MIN   4
#define GL_SPAN_DRIFT     0.25f
/* 16.16 fixed point for colours and texture coordinates. */
#define FIX_SHIFT         16
#define FIX_ONE           (1 << FIX_SHIFT)
#define FIX_HALF          (FIX_ONE / 2)
/* Depth: the 0..1 range is 2^48 in the loop, 2^32 - 1 in the buffer. */
#define Z_SHIFT           48
#define Z_DROP            16
/* Texture coordinates beyond this many texels are clamped before the
 * conversion to integers (they wrap to the same texel anyway). */
#define TEXEL_LIMIT       1.0e9f
#define BYTE_MAX          255
/* Bilinear weights have 8 bits. */
#define FRAC_BITS         8
#define FRAC_ONE          (1 << FRAC_BITS)

/* Pixel layout: 0xAARRGGBB in textures, 0x00RRGGBB in the buffer. */
#define SH_A 24
#define SH_R 16
#define SH_G 8

/*
 * round(x / 255) for 0 <= x <= 255 * 255, exactly, without a division
 * (checked for every such x). Products of two 0..255 values, and sums
 * a * f + b * (255 - f), stay in that range.
 */
static inline uint32_t div255(uint32_t x)
{
    x += 128;
    return (x + (x >> 8)) >> 8;
}

static inline uint32_t mul255(uint32_t a, uint32_t b)
{
    return div255(a * b);
}

/* Largest sum div255() takes. */
#define DIV255_MAX (255u * 255u)

static inline int wrap(int i, int size, GLenum mode)
{
    if (mode == GL_REPEAT)
        return i & (size - 1);
    return i < 0 ? 0 : i >= size ? size - 1 : i;
}

static inline uint32_t texel(const struct gl_texlevel *lv, int s, int t)
{
    return lv->texels[t * lv->width + s];
}

/* Mixes two ARGB words by weight f/256 of b. */
static inline uint32_t mix(uint32_t a, uint32_t b, uint32_t f)
{
    uint32_t g = FRAC_ONE - f;
    uint32_t rb = ((a & 0x00ff00ffu) * g + (b & 0x00ff00ffu) * f) >> FRAC_BITS;
    uint32_t ag = ((a >> 8) & 0x00ff00ffu) * g + ((b >> 8) & 0x00ff00ffu) * f;
    return (rb & 0x00ff00ffu) | (ag & 0xff00ff00u);
}

/* The texel for 16.16 coordinates (u, v) in texels of the level. */
static inline uint32_t sample(const struct gl_span_tri *t, int64_t u, int64_t v)
{
    const struct gl_texlevel *lv = t->lv;
    GLenum ws = t->tex->wrap_s, wt = t->tex->wrap_t;
    if (!t->linear)
        return texel(lv, wrap((int)(u >> FIX_SHIFT), lv->width, ws),
                     wrap((int)(v >> FIX_SHIFT), lv->height, wt));
    /* Bilinear: the four texels around (u - 1/2, v - 1/2). */
    u -= FIX_HALF;
    v -= FIX_HALF;
    int s0 = (int)(u >> FIX_SHIFT), t0 = (int)(v >> FIX_SHIFT);
    uint32_t fu = (uint32_t)(u >> (FIX_SHIFT - FRAC_BITS)) & (FRAC_ONE - 1);
    uint32_t fv = (uint32_t)(v >> (FIX_SHIFT - FRAC_BITS)) & (FRAC_ONE - 1);
    int sa = wrap(s0, lv->width, ws), sb = wrap(s0 + 1, lv->width, ws);
    int ta = wrap(t0, lv->height, wt), tb = wrap(t0 + 1, lv->height, wt);
    uint32_t top = mix(texel(lv, sa, ta), texel(lv, sb, ta), fu);
    uint32_t bot = mix(texel(lv, sa, tb), texel(lv, sb, tb), fu);
    return mix(top, bot, fv);
}

/* Applies the texture environment (table 3.22) to fragment colour f[]. */
static inline void tex_env(GLenum mode, const struct gl_texture *tex,
                           uint32_t tx, uint32_t f[4])
{
    uint32_t ct[4] = {(tx >> SH_R) & BYTE_MAX, (tx >> SH_G) & BYTE_MAX,
                      tx & BYTE_MAX, tx >> SH_A};
    switch (mode) {
    case GL_REPLACE:
        if (tex->has_color)
            for (int i = 0; i < 3; i++)
                f[i] = ct[i];
        if (tex->has_alpha)
            f[3] = ct[3];
        break;
    case GL_DECAL:
        for (int i = 0; i < 3; i++)
            f[i] = div255(f[i] * (BYTE_MAX - ct[3]) + ct[i] * ct[3]);
        break;
    case GL_ADD:
        for (int i = 0; i < 3; i++) {
            uint32_t s = f[i] + ct[i];
            f[i] = s > BYTE_MAX ? BYTE_MAX : s;
        }
        f[3] = mul255(f[3], ct[3]);
        break;
    default: /* GL_MODULATE; absent components were stored as 255 */
        for (int i = 0; i < 4; i++)
            f[i] = mul255(f[i], ct[i]);
        break;
    }
}

static inline bool depth_pass(GLenum func, uint32_t z, uint32_t stored)
{
    switch (func) {
    case GL_NEVER:
        return false;
    case GL_LESS:
        return z < stored;
    case GL_EQUAL:
        return z == stored;
    case GL_LEQUAL:
        return z <= stored;
    case GL_GREATER:
        return z > stored;
    case GL_NOTEQUAL:
        return z != stored;
    case GL_GEQUAL:
        return z >= stored;
    default:
        return true;
    }
}

/* Blend factor for channel i (0..2) of source s[] over destination d[]. */
static inline uint32_t factor(GLenum f, const uint32_t s[4],
                              const uint32_t d[3], int i)
{
    switch (f) {
    case GL_ZERO:
        return 0;
    case GL_ONE:
        return BYTE_MAX;
    case GL_SRC_COLOR:
        return s[i];
    case GL_ONE_MINUS_SRC_COLOR:
        return BYTE_MAX - s[i];
    case GL_SRC_ALPHA:
        return s[3];
    case GL_ONE_MINUS_SRC_ALPHA:
        return BYTE_MAX - s[3];
    case GL_DST_COLOR:
        return d[i];
    case GL_ONE_MINUS_DST_COLOR:
        return BYTE_MAX - d[i];
    case GL_DST_ALPHA:
        return BYTE_MAX; /* the buffer has no alpha: it reads as 1 */
    default: /* ONE_MINUS_DST_ALPHA, SRC_ALPHA_SATURATE: min(As, 0) */
        return 0;
    }
}

static inline uint32_t blend(const struct emgl_context *c, const uint32_t s[4],
                             uint32_t dst)
{
    uint32_t d[3] = {(dst >> SH_R) & BYTE_MAX, (dst >> SH_G) & BYTE_MAX,
                     dst & BYTE_MAX};
    uint32_t out[3];
    for (int i = 0; i < 3; i++) {
        /* One rounding of the exact sum; past 255 * 255 it saturates. */
        uint32_t v = s[i] * factor(c->blend_src, s, d, i) +
                     d[i] * factor(c->blend_dst, s, d, i);
        out[i] = v >= DIV255_MAX ? BYTE_MAX : div255(v);
    }
    return out[0] << SH_R | out[1] << SH_G | out[2];
}

/* value of plane (a0, dx, dy) at pixel centre (px, py) relative to x0/y0 */
static inline float at(float a0, float dx, float dy, float px, float py)
{
    return a0 + dx * px + dy * py;
}

static int64_t to_fix(float texels)
{
    if (texels > TEXEL_LIMIT)
        texels = TEXEL_LIMIT;
    if (texels < -TEXEL_LIMIT)
        texels = -TEXEL_LIMIT;
    return (int64_t)(texels * (float)FIX_ONE);
}

/* Fixed-point start and step of a linear quantity over n pixels. */
struct lin {
    int32_t v, dv;
};

static struct lin colour_line(const struct gl_span_tri *t, int ch, float px,
                              float py, int n)
{
    float a = at(t->c0[ch], t->dc_dx[ch], t->dc_dy[ch], px, py);
    float b = a + t->dc_dx[ch] * (float)(n - 1);
    /* Clamping both ends keeps every pixel between them in 0..255. */
    a = a < 0.0f ? 0.0f : a > BYTE_MAX ? BYTE_MAX : a;
    b = b < 0.0f ? 0.0f : b > BYTE_MAX ? BYTE_MAX : b;
    struct lin l = {(int32_t)(a * FIX_ONE + FIX_HALF), 0};
    if (n > 1)
        l.dv = (int32_t)((b - a) * FIX_ONE / (float)(n - 1));
    return l;
}

void gl_span_draw(struct emgl_context *c, const struct gl_span_tri *t, int y,
                  int xa, int xb)
{
    int n = xb - xa;
    float px = (float)xa + 0.5f - t->x0, py = (float)y + 0.5f - t->y0;
    struct lin col[GL_SPAN_CHANS];
    for (int ch = 0; ch < GL_SPAN_CHANS; ch++)
        col[ch] = colour_line(t, ch, px, py, n);

    /* Depth at both ends, clamped to 0..1, stepped in 16.48. */
    double za = t->z0 + t->dz_dx * px + t->dz_dy * py;
    double zb = za + t->dz_dx * (double)(n - 1);
    za = za < 0.0 ? 0.0 : za > 1.0 ? 1.0 : za;
    zb = zb < 0.0 ? 0.0 : zb > 1.0 ? 1.0 : zb;
    const double zscale = (double)((int64_t)1 << Z_SHIFT);
    int64_t z = (int64_t)(za * zscale);
    int64_t dz = n > 1 ? (int64_t)((zb - za) * zscale) / (n - 1) : 0;
    const uint32_t z_max = UINT32_MAX;

    float iw = at(t->iw0, t->diw_dx, t->diw_dy, px, py);
    float uw = at(t->u0, t->du_dx, t->du_dy, px, py);
    float vw = at(t->v0, t->dv_dx, t->dv_dy, px, py);
    int64_t u = 0, v = 0;
    if (t->lv != NULL) {
        u = to_fix(uw / iw);
        v = to_fix(vw / iw);
    }

    uint32_t *cb = c->color + (size_t)y * c->width;
    uint32_t *db = c->depth + (size_t)y * c->width;
    uint32_t keep = 0; /* buffer bits the colour mask protects */
    for (int i = 0; i < 3; i++)
        if (!c->color_mask[i])
            keep |= (uint32_t)BYTE_MAX << (SH_R - SH_G * i);
    uint32_t fog_rgb[3];
    for (int i = 0; i < 3; i++)
        fog_rgb[i] = (uint32_t)(c->fog_color[i] * BYTE_MAX + 0.5f);
    c->stats.fragments += (uint64_t)n;

    for (int x = xa; x < xb;) {
        int seg = GL_SPAN_SEG;
        int64_t du = 0, dv = 0;
        if (t->lv != NULL) {
            /* Where 1/w changes fast (a surface seen edge-on), the linear
             * step between divisions drifts: shorten the segment. */
            float change = t->diw_dx * (float)GL_SPAN_SEG;
            change = change < 0.0f ? -change : change;
            while (seg > GL_SPAN_SEG_MIN && change > iw * GL_SPAN_DRIFT) {
                seg /= 2;
                change *= 0.5f;
            }
        }
        seg = xb - x < seg ? xb - x : seg;
        if (t->lv != NULL) {
            /* The next division point, one segment on. */
            iw += t->diw_dx * (float)seg;
            uw += t->du_dx * (float)seg;
            vw += t->dv_dx * (float)seg;
            float iw_safe = iw > 0.0f ? iw : 1.0e-30f;
            int64_t u1 = to_fix(uw / iw_safe), v1 = to_fix(vw / iw_safe);
            du = (u1 - u) / seg;
            dv = (v1 - v) / seg;
        }
        for (int k = 0; k < seg; k++, x++) {
            uint32_t zv = (uint32_t)(z >> Z_DROP);
            if (z >> Z_DROP > z_max)
                zv = z_max;
            uint32_t f[4];
            for (int i = 0; i < 4; i++)
                f[i] = (uint32_t)(col[i].v >> FIX_SHIFT);
            uint32_t fog = (uint32_t)(col[GL_SPAN_FOG].v >> FIX_SHIFT);
            int64_t uu = u, vv = v;
            z += dz;
            u += du;
            v += dv;
            for (int i = 0; i < GL_SPAN_CHANS; i++)
                col[i].v += col[i].dv;

            if (c->depth_test && !depth_pass(c->depth_func, zv, db[x]))
                continue;
            if (t->lv != NULL)
                tex_env(c->tex_env_mode, t->tex, sample(t, uu, vv), f);
            if (c->fog)
                for (int i = 0; i < 3; i++)
                    f[i] = div255(f[i] * fog + fog_rgb[i] * (BYTE_MAX - fog));
            if (c->alpha_test && !c->alpha_pass[f[3]])
                continue;
            if (c->depth_test && c->depth_mask)
                db[x] = zv;
            uint32_t out = c->blend ? blend(c, f, cb[x])
                                    : f[0] << SH_R | f[1] << SH_G | f[2];
            cb[x] = (out & ~keep) | (cb[x] & keep);
        }
    }
}
