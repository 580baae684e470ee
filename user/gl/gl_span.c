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
 * stepped linearly (16.16) in between. When the triangle setup could put
 * the u/w, v/w and 1/w planes in integers (gl_span.h, persp_fixed), that
 * division is an integer reciprocal and two 128-bit products, and a span
 * of a world triangle starts with no float operation at all. The error
 * this leaves is tested against a per-pixel float reference in
 * tests/host/test_gl_fragment.c.
 *
 * Why one file of more than 800 lines: the generic loop, the fast loops
 * and the plain loops share the inline helpers (div255, mix, the blends)
 * and struct span, which the compiler must see whole to specialise each
 * loop; split, they would need a header of inline code used by one file.
 *
 * Locking: none; one thread draws with a context.
 * Portable: built for Ember (musl) and for Linux host tests.
 * See: docs/gl.md
 */
#include "gl_span.h"

#include <math.h>
#include <string.h>

/* 16.16 fixed point for colours and texture coordinates. */
#define FIX_SHIFT   16
#define FIX_ONE     (1 << FIX_SHIFT)
#define FIX_HALF    (FIX_ONE / 2)
/* Depth: 0..1 is 0..UINT32_MAX in the buffer, with 16 more bits of
 * fraction in the loop. */
#define Z_DROP      GL_SPAN_Z_DROP
/* Texture coordinates beyond this many texels are clamped before the
 * conversion to integers (they wrap to the same texel anyway). */
#define TEXEL_LIMIT 1.0e9f
#define BYTE_MAX    255
/* Bilinear weights have 8 bits. */
#define FRAC_BITS   8
#define FRAC_ONE    (1 << FRAC_BITS)

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

/*
 * 16.16 texel coordinates (the planes carry the 2^16) to integers. One
 * comparison in the common case: fabsf only clears the sign bit.
 */
static int64_t to_fix(float fix)
{
    if (fabsf(fix) <= TEXEL_LIMIT * FIX_ONE)
        return (int64_t)fix;
    return fix > 0.0f ? (int64_t)(TEXEL_LIMIT * FIX_ONE)
                      : (int64_t)(-TEXEL_LIMIT * FIX_ONE);
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

/*
 * A span being drawn: everything the per-pixel loops read, copied out of
 * the context and the triangle into one struct of locals, so that the
 * compiler keeps them in registers instead of reloading them after every
 * store to the buffers (which, being uint32_t, might alias them).
 */
struct span {
    uint32_t *cb, *db;
    int64_t z, dz;        /* depth, 2^48 * UINT32_MAX per 1.0 */
    int64_t u, v, du, dv; /* texel coordinates, 16.16 */
    struct lin col[GL_SPAN_CHANS];
    bool gouraud; /* colour varies along the span */
    bool depth_test, depth_write;
    unsigned depth_rel; /* pass if less (1), equal (2), greater (4) */
    bool alpha_test;
    const bool *alpha_pass;
    /* The fast path's texture, when there is one. */
    const uint32_t *texels;
    int tex_shift; /* log2 of the level's width */
    uint32_t mask_s, mask_t;
    bool modulate; /* else the texel is the colour */
    /* With REPLACE, the alpha bits taken from the texel (0xff), or from
     * the fragment (0: the texture has no alpha). */
    uint32_t tex_alpha;
    int blend_kind;
};

/* Blend factor pairs the fast path does without the factor table. */
enum {
    BLEND_NONE,
    BLEND_ALPHA,   /* SRC_ALPHA, ONE_MINUS_SRC_ALPHA: transparency */
    BLEND_ADD,     /* ONE, ONE: fullbrights */
    BLEND_MOD2X,   /* DST_COLOR, SRC_COLOR: overbright lightmaps */
    BLEND_MOD,     /* ZERO, SRC_COLOR: lightmaps */
    BLEND_GENERIC, /* anything else: the generic path */
};

static int blend_kind(const struct emgl_context *c)
{
    if (!c->blend)
        return BLEND_NONE;
    GLenum s = c->blend_src, d = c->blend_dst;
    if (s == GL_SRC_ALPHA && d == GL_ONE_MINUS_SRC_ALPHA)
        return BLEND_ALPHA;
    if (s == GL_ONE && d == GL_ONE)
        return BLEND_ADD;
    if (s == GL_DST_COLOR && d == GL_SRC_COLOR)
        return BLEND_MOD2X;
    if ((s == GL_ZERO && d == GL_SRC_COLOR) ||
        (s == GL_DST_COLOR && d == GL_ZERO))
        return BLEND_MOD;
    return BLEND_GENERIC;
}

/*
 * The generic path: every operation of the pipeline as the context says,
 * for n pixels from x. Used for the states the fast path leaves out (fog,
 * colour masks, clamping, DECAL/ADD, unusual blend factors).
 */
static void run_generic(const struct emgl_context *c,
                        const struct gl_span_tri *t, struct span *s, int x,
                        int n)
{
    uint32_t keep = 0; /* buffer bits the colour mask protects */
    for (int i = 0; i < 3; i++)
        if (!c->color_mask[i])
            keep |= (uint32_t)BYTE_MAX << (SH_R - SH_G * i);
    uint32_t fog_rgb[3];
    for (int i = 0; i < 3; i++)
        fog_rgb[i] = (uint32_t)(c->fog_color[i] * BYTE_MAX + 0.5f);
    for (int k = 0; k < n; k++, x++) {
        uint32_t zv = (uint32_t)(s->z >> Z_DROP);
        uint32_t f[4];
        for (int i = 0; i < 4; i++)
            f[i] = (uint32_t)(s->col[i].v >> FIX_SHIFT);
        uint32_t fog = (uint32_t)(s->col[GL_SPAN_FOG].v >> FIX_SHIFT);
        int64_t uu = s->u, vv = s->v;
        s->z += s->dz;
        s->u += s->du;
        s->v += s->dv;
        for (int i = 0; i < GL_SPAN_CHANS; i++)
            s->col[i].v += s->col[i].dv;

        if (c->depth_test && !depth_pass(c->depth_func, zv, s->db[x]))
            continue;
        if (t->lv != NULL)
            tex_env(c->tex_env_mode, t->tex, sample(t, uu, vv), f);
        if (c->fog)
            for (int i = 0; i < 3; i++)
                f[i] = div255(f[i] * fog + fog_rgb[i] * (BYTE_MAX - fog));
        if (c->alpha_test && !c->alpha_pass[f[3]])
            continue;
        if (c->depth_test && c->depth_mask)
            s->db[x] = zv;
        uint32_t out = c->blend ? blend(c, f, s->cb[x])
                                : f[0] << SH_R | f[1] << SH_G | f[2];
        s->cb[x] = (out & ~keep) | (s->cb[x] & keep);
    }
}

/* Texture kinds of the fast path. */
enum { TEX_NONE, TEX_NEAREST, TEX_LINEAR };

static inline uint32_t fast_texel(const struct span *s, int64_t u, int64_t v)
{
    uint32_t si = (uint32_t)(u >> FIX_SHIFT) & s->mask_s;
    uint32_t ti = (uint32_t)(v >> FIX_SHIFT) & s->mask_t;
    return s->texels[ti << s->tex_shift | si];
}

static inline uint32_t fast_bilinear(const struct span *s, int64_t u, int64_t v)
{
    u -= FIX_HALF;
    v -= FIX_HALF;
    uint32_t fu = (uint32_t)(u >> (FIX_SHIFT - FRAC_BITS)) & (FRAC_ONE - 1);
    uint32_t fv = (uint32_t)(v >> (FIX_SHIFT - FRAC_BITS)) & (FRAC_ONE - 1);
    uint32_t s0 = (uint32_t)(u >> FIX_SHIFT), t0 = (uint32_t)(v >> FIX_SHIFT);
    uint32_t sa = s0 & s->mask_s, sb = (s0 + 1) & s->mask_s;
    uint32_t ta = (t0 & s->mask_t) << s->tex_shift;
    uint32_t tb = ((t0 + 1) & s->mask_t) << s->tex_shift;
    uint32_t top = mix(s->texels[ta | sa], s->texels[ta | sb], fu);
    uint32_t bot = mix(s->texels[tb | sa], s->texels[tb | sb], fu);
    return mix(top, bot, fv);
}

/* The four common blends on 0x00RRGGBB words (src alpha a). */
static inline uint32_t fast_blend(int kind, uint32_t src, uint32_t a,
                                  uint32_t dst)
{
    uint32_t out = 0;
    for (int sh = 0; sh <= SH_R; sh += SH_G) {
        uint32_t sc = (src >> sh) & BYTE_MAX, dc = (dst >> sh) & BYTE_MAX, v;
        switch (kind) {
        case BLEND_ALPHA:
            v = div255(sc * a + dc * (BYTE_MAX - a));
            break;
        case BLEND_ADD:
            v = sc + dc > BYTE_MAX ? BYTE_MAX : sc + dc;
            break;
        case BLEND_MOD2X: {
            uint32_t p = 2 * sc * dc;
            v = p >= DIV255_MAX ? BYTE_MAX : div255(p);
            break;
        }
        default: /* BLEND_MOD */
            v = div255(sc * dc);
            break;
        }
        out |= v << sh;
    }
    return out;
}

/*
 * The fast path, specialised by the compiler for each texture kind and
 * for blending on or off (the callers below pass constants): REPEAT
 * wrapping by mask, MODULATE or the texel as the colour, no fog, every
 * colour channel written. Its results are the generic path's exactly.
 */
static inline __attribute__((always_inline)) void
run_fast(struct span *s, int x, int n, const int tex, const bool blending)
{
    /* Locals, so that stores to the buffers cannot force reloads. */
    uint32_t *cb = s->cb, *db = s->db;
    int64_t z = s->z, dz = s->dz, u = s->u, du = s->du, v = s->v, dv = s->dv;
    int32_t c[4], dc[4];
    for (int i = 0; i < 4; i++) {
        c[i] = s->col[i].v;
        dc[i] = s->gouraud ? s->col[i].dv : 0;
    }
    const bool depth_test = s->depth_test, depth_write = s->depth_write;
    const unsigned depth_rel = s->depth_rel;
    const bool alpha_test = s->alpha_test, modulate = s->modulate;
    const uint32_t tex_alpha = s->tex_alpha;
    const bool *alpha_pass = s->alpha_pass;
    const int kind = s->blend_kind;
    for (int end = x + n; x < end; x++) {
        uint32_t zv = (uint32_t)(z >> Z_DROP);
        int64_t uu = u, vv = v;
        uint32_t f[4] = {
            (uint32_t)(c[0] >> FIX_SHIFT), (uint32_t)(c[1] >> FIX_SHIFT),
            (uint32_t)(c[2] >> FIX_SHIFT), (uint32_t)(c[3] >> FIX_SHIFT)};
        z += dz;
        u += du;
        v += dv;
        for (int i = 0; i < 4; i++)
            c[i] += dc[i];
        if (depth_test) {
            uint32_t d = db[x];
            unsigned rel = zv < d ? 1u : zv == d ? 2u : 4u;
            if (!(depth_rel & rel))
                continue;
        }
        uint32_t rgb, a;
        if (tex == TEX_NONE) {
            rgb = f[0] << SH_R | f[1] << SH_G | f[2];
            a = f[3];
        } else {
            uint32_t tx = tex == TEX_NEAREST ? fast_texel(s, uu, vv)
                                             : fast_bilinear(s, uu, vv);
            if (modulate) {
                rgb = mul255(f[0], (tx >> SH_R) & BYTE_MAX) << SH_R |
                      mul255(f[1], (tx >> SH_G) & BYTE_MAX) << SH_G |
                      mul255(f[2], tx & BYTE_MAX);
                a = mul255(f[3], tx >> SH_A);
            } else {
                rgb = tx & 0x00ffffffu;
                a = (tx >> SH_A & tex_alpha) | (f[3] & ~tex_alpha);
            }
        }
        if (alpha_test && !alpha_pass[a])
            continue;
        if (depth_write)
            db[x] = zv;
        cb[x] = blending ? fast_blend(kind, rgb, a, cb[x]) : rgb;
    }
    s->z = z;
    s->u = u;
    s->v = v;
    for (int i = 0; i < 4; i++)
        s->col[i].v = c[i];
}

static void run_none(struct span *s, int x, int n)
{
    run_fast(s, x, n, TEX_NONE, false);
}

static void run_none_blend(struct span *s, int x, int n)
{
    run_fast(s, x, n, TEX_NONE, true);
}

static void run_nearest(struct span *s, int x, int n)
{
    run_fast(s, x, n, TEX_NEAREST, false);
}

static void run_nearest_blend(struct span *s, int x, int n)
{
    run_fast(s, x, n, TEX_NEAREST, true);
}

static void run_linear(struct span *s, int x, int n)
{
    run_fast(s, x, n, TEX_LINEAR, false);
}

static void run_linear_blend(struct span *s, int x, int n)
{
    run_fast(s, x, n, TEX_LINEAR, true);
}

/*
 * The plain loops: the two passes that draw Quake's world, and most of a
 * frame's fragments, with every choice made by the compiler. The colour
 * is the texel's (REPLACE, or MODULATE by white), its alpha unused (no
 * alpha test, no blend reading it), so there is no colour to step; the
 * depth test, the depth write, the filter and the blend are constants of
 * each instance. So the loop keeps few values live (under QEMU's TCG a
 * spilled register is a memory access, the costliest thing it does) and
 * tests nothing per pixel that a span decides. Bilinear filtering keeps
 * the four texels of the last cell: lightmaps are magnified, so most
 * pixels reuse them. Results are the generic path's, bit for bit
 * (tests/host/test_gl_fragment.c compares them).
 */
enum { PLAIN_NEAREST, PLAIN_LINEAR };
enum { PLAIN_OPAQUE, PLAIN_MOD2X, PLAIN_MOD, PLAIN_BLENDS };
enum { DEPTH_OFF, DEPTH_LEQUAL, DEPTH_REL, DEPTH_MODES };

/* MOD2X (DST_COLOR, SRC_COLOR) or MOD (ZERO, SRC_COLOR) of two words. */
static inline uint32_t plain_blend(int blend, uint32_t src, uint32_t dst)
{
    uint32_t out = 0;
    for (int sh = 0; sh <= SH_R; sh += SH_G) {
        uint32_t p = ((src >> sh) & BYTE_MAX) * ((dst >> sh) & BYTE_MAX);
        if (blend == PLAIN_MOD2X) {
            p *= 2;
            out |= (p >= DIV255_MAX ? BYTE_MAX : div255(p)) << sh;
        } else {
            out |= div255(p) << sh;
        }
    }
    return out;
}

/* plain_blend() of a grey source, every channel l. */
static inline uint32_t plain_blend_grey(int blend, uint32_t l, uint32_t dst)
{
    uint32_t out = 0;
    if (blend == PLAIN_MOD2X)
        l *= 2;
    for (int sh = 0; sh <= SH_R; sh += SH_G) {
        uint32_t p = l * ((dst >> sh) & BYTE_MAX);
        if (blend == PLAIN_MOD2X)
            p = p >= DIV255_MAX ? BYTE_MAX : div255(p);
        else
            p = div255(p);
        out |= p << sh;
    }
    return out;
}

/* Red, green and blue of a texel are equal. */
static inline bool grey_texel(uint32_t tx)
{
    return ((tx >> SH_G) & 0xffffu) == (tx & BYTE_MAX) * 0x101u;
}

/* mix() of one channel: the same sum and shift, so the same result. */
static inline uint32_t mix1(uint32_t a, uint32_t b, uint32_t f)
{
    return (a * (FRAC_ONE - f) + b * f) >> FRAC_BITS;
}

static inline __attribute__((always_inline)) void
run_plain(struct span *s, int x, int n, const int filter, const int blend,
          const int depth, const bool write)
{
    uint32_t *cb = s->cb, *db = s->db;
    const uint32_t *texels = s->texels;
    int64_t z = s->z, u = s->u, v = s->v;
    const int64_t dz = s->dz, du = s->du, dv = s->dv;
    const int shift = s->tex_shift;
    const uint32_t mask_s = s->mask_s, mask_t = s->mask_t;
    const unsigned depth_rel = s->depth_rel;
    /* The bilinear cell cached: its top-left texel's index (an index is
     * below 2^31, so UINT32_MAX is none) and its four texels. */
    uint32_t cell = UINT32_MAX, t00 = 0, t01 = 0, t10 = 0, t11 = 0;
    /* All four grey (lightmaps without coloured light): one channel to
     * filter, and the blend multiplies every channel by it. */
    bool grey = false;
    for (int end = x + n; x < end; x++, z += dz, u += du, v += dv) {
        uint32_t zv = (uint32_t)(z >> Z_DROP);
        if (depth == DEPTH_LEQUAL && zv > db[x])
            continue;
        if (depth == DEPTH_REL) {
            uint32_t d = db[x];
            if (!(depth_rel & (zv < d ? 1u : zv == d ? 2u : 4u)))
                continue;
        }
        uint32_t tx;
        if (filter == PLAIN_NEAREST) {
            tx = texels[((uint32_t)(v >> FIX_SHIFT) & mask_t) << shift |
                        ((uint32_t)(u >> FIX_SHIFT) & mask_s)];
        } else {
            int64_t uu = u - FIX_HALF, vv = v - FIX_HALF;
            uint32_t s0 = (uint32_t)(uu >> FIX_SHIFT);
            uint32_t t0 = (uint32_t)(vv >> FIX_SHIFT);
            uint32_t sa = s0 & mask_s, ta = (t0 & mask_t) << shift;
            if ((ta | sa) != cell) {
                uint32_t sb = (s0 + 1) & mask_s;
                uint32_t tb = ((t0 + 1) & mask_t) << shift;
                cell = ta | sa;
                t00 = texels[ta | sa];
                t01 = texels[ta | sb];
                t10 = texels[tb | sa];
                t11 = texels[tb | sb];
                grey = grey_texel(t00) && grey_texel(t01) && grey_texel(t10) &&
                       grey_texel(t11);
            }
            uint32_t fu =
                (uint32_t)(uu >> (FIX_SHIFT - FRAC_BITS)) & (FRAC_ONE - 1);
            uint32_t fv =
                (uint32_t)(vv >> (FIX_SHIFT - FRAC_BITS)) & (FRAC_ONE - 1);
            if (grey) {
                uint32_t l = mix1(mix1(t00 & BYTE_MAX, t01 & BYTE_MAX, fu),
                                  mix1(t10 & BYTE_MAX, t11 & BYTE_MAX, fu), fv);
                if (write)
                    db[x] = zv;
                cb[x] = blend == PLAIN_OPAQUE
                            ? l * 0x010101u
                            : plain_blend_grey(blend, l, cb[x]);
                continue;
            }
            tx = mix(mix(t00, t01, fu), mix(t10, t11, fu), fv);
        }
        if (write)
            db[x] = zv;
        cb[x] = blend == PLAIN_OPAQUE ? tx & 0x00ffffffu
                                      : plain_blend(blend, tx, cb[x]);
    }
    s->z = z;
    s->u = u;
    s->v = v;
}

/* One function per combination, named by its digits: filter, blend,
 * depth, write; and the table choose_fast() picks from. */
#define PLAIN(f, b, d, w)                                                      \
    static void plain_##f##b##d##w(struct span *s, int x, int n)               \
    {                                                                          \
        run_plain(s, x, n, f, b, d, w);                                        \
    }
#define PLAIN_D(f, b, d) PLAIN(f, b, d, 0) PLAIN(f, b, d, 1)
#define PLAIN_B(f, b)    PLAIN_D(f, b, 0) PLAIN_D(f, b, 1) PLAIN_D(f, b, 2)
#define PLAIN_F(f)       PLAIN_B(f, 0) PLAIN_B(f, 1) PLAIN_B(f, 2)
PLAIN_F(0)
PLAIN_F(1)

#define ENTRY_D(f, b, d)                                                       \
    {                                                                          \
        plain_##f##b##d##0, plain_##f##b##d##1                                 \
    }
#define ENTRY_B(f, b)                                                          \
    {                                                                          \
        ENTRY_D(f, b, 0), ENTRY_D(f, b, 1), ENTRY_D(f, b, 2)                   \
    }
#define ENTRY_F(f)                                                             \
    {                                                                          \
        ENTRY_B(f, 0), ENTRY_B(f, 1), ENTRY_B(f, 2)                            \
    }
static void (*const plain_loops[2][PLAIN_BLENDS][DEPTH_MODES][2])(struct span *,
                                                                  int, int) = {
    ENTRY_F(0), ENTRY_F(1)};

/* The plain loop for this span's state, or NULL if it needs another. */
static void (*choose_plain(const struct emgl_context *c,
                           const struct gl_span_tri *t,
                           const struct span *s))(struct span *, int, int)
{
    int blend;
    if (s->modulate || s->alpha_test)
        return NULL;
    switch (s->blend_kind) {
    case BLEND_NONE:
        blend = PLAIN_OPAQUE;
        break;
    case BLEND_MOD2X:
        blend = PLAIN_MOD2X;
        break;
    case BLEND_MOD:
        blend = PLAIN_MOD;
        break;
    default:
        return NULL;
    }
    int depth = !s->depth_test               ? DEPTH_OFF
                : c->depth_func == GL_LEQUAL ? DEPTH_LEQUAL
                                             : DEPTH_REL;
    return plain_loops[t->linear ? PLAIN_LINEAR : PLAIN_NEAREST][blend][depth]
                      [s->depth_write];
}

static int log2_of(int pow2)
{
    int l = 0;
    while ((1 << l) < pow2)
        l++;
    return l;
}

/*
 * Picks the fast path's variant for this span's state and fills its
 * fields; NULL if the generic path must draw it.
 */
static void (*choose_fast(const struct emgl_context *c,
                          const struct gl_span_tri *t,
                          struct span *s))(struct span *, int, int)
{
    s->blend_kind = blend_kind(c);
    /* Read by every loop, textured or not (an untextured span's loop reads
     * them too before the compiler drops the code that uses them). */
    s->modulate = false;
    s->tex_alpha = 0;
    if (c->fog || s->blend_kind == BLEND_GENERIC || !c->color_mask[0] ||
        !c->color_mask[1] || !c->color_mask[2])
        return NULL;
    s->depth_test = c->depth_test;
    s->depth_write = c->depth_test && c->depth_mask;
    s->depth_rel = c->depth_func & 7u; /* NEVER..ALWAYS: bits <, =, > */
    s->alpha_test = c->alpha_test;
    s->alpha_pass = c->alpha_pass;
    bool blending = s->blend_kind != BLEND_NONE;
    if (t->lv == NULL)
        return blending ? run_none_blend : run_none;
    const struct gl_texture *tex = t->tex;
    if (tex->wrap_s != GL_REPEAT || tex->wrap_t != GL_REPEAT)
        return NULL;
    bool white = !s->gouraud && s->col[0].v >> FIX_SHIFT == BYTE_MAX &&
                 s->col[1].v >> FIX_SHIFT == BYTE_MAX &&
                 s->col[2].v >> FIX_SHIFT == BYTE_MAX &&
                 s->col[3].v >> FIX_SHIFT == BYTE_MAX;
    if (c->tex_env_mode == GL_MODULATE)
        s->modulate = !white; /* times 255 is the identity */
    else if (c->tex_env_mode == GL_REPLACE && tex->has_color)
        s->modulate = false; /* the texel's colour (and alpha) as they are */
    else
        return NULL;
    s->tex_alpha = tex->has_alpha ? BYTE_MAX : 0;
    s->texels = t->lv->texels;
    s->tex_shift = log2_of(t->lv->width);
    s->mask_s = (uint32_t)t->lv->width - 1;
    s->mask_t = (uint32_t)t->lv->height - 1;
    void (*plain)(struct span *, int, int) = choose_plain(c, t, s);
    if (plain != NULL)
        return plain;
    if (t->linear)
        return blending ? run_linear_blend : run_linear;
    return blending ? run_nearest_blend : run_nearest;
}

/*
 * The span's depth: start and step, every pixel within 0..1. With the
 * triangle's integer plane it costs two products; steep triangles, and
 * spans whose ends leave 0..1 (a polygon offset can push them out), clamp
 * both ends and step evenly between them.
 */
static void span_depth(const struct gl_span_tri *t, struct span *s, int y,
                       int xa, int n, float px, float py)
{
    if (t->z_fixed) {
        int64_t za =
            t->zi0 + t->dzi_dx * (xa - t->zx) + t->dzi_dy * (y - t->zy);
        int64_t zb = za + t->dzi_dx * (n - 1);
        if (za >= 0 && za <= GL_SPAN_Z_ONE && zb >= 0 && zb <= GL_SPAN_Z_ONE) {
            s->z = za;
            s->dz = t->dzi_dx;
            return;
        }
        za = za < 0 ? 0 : za > GL_SPAN_Z_ONE ? GL_SPAN_Z_ONE : za;
        zb = zb < 0 ? 0 : zb > GL_SPAN_Z_ONE ? GL_SPAN_Z_ONE : zb;
        s->z = za;
        s->dz = n > 1 ? (zb - za) / (n - 1) : 0;
        return;
    }
    double za = t->z0 + t->dz_dx * px + t->dz_dy * py;
    double zb = za + t->dz_dx * (double)(n - 1);
    za = za < 0.0 ? 0.0 : za > 1.0 ? 1.0 : za;
    zb = zb < 0.0 ? 0.0 : zb > 1.0 ? 1.0 : zb;
    const double zscale = (double)GL_SPAN_Z_ONE;
    s->z = (int64_t)(za * zscale);
    s->dz = n > 1 ? (int64_t)((zb - za) * zscale) / (n - 1) : 0;
}

/* u/w over 1/w: (uwi * recip) >> (GL_SPAN_RECIP_BITS + shift), clamped as
 * to_fix() clamps. */
static int64_t fixed_quot(int64_t uwi, int64_t recip, int shift)
{
    const int64_t lim = (int64_t)(TEXEL_LIMIT * FIX_ONE);
    __int128 q = ((__int128)uwi * recip) >> (GL_SPAN_RECIP_BITS + shift);
    return q > lim ? lim : q < -lim ? -lim : (int64_t)q;
}

/* 2^GL_SPAN_RECIP_BITS / iwi, for 1/w at least 1 (a pixel centre just
 * outside a triangle may extrapolate it to 0 or below). */
static int64_t recip_of(int64_t iwi)
{
    return ((int64_t)1 << GL_SPAN_RECIP_BITS) / (iwi > 0 ? iwi : 1);
}

/* a / seg, rounded toward zero as C's division, for seg a power of two. */
static int64_t div_seg(int64_t a, int seg, int shift)
{
    return (a + ((a >> 63) & (seg - 1))) >> shift;
}

/*
 * gl_span_draw() for a triangle with integer texture planes: the same
 * segments, with one integer division (a reciprocal) and two 128-bit
 * products at each division point instead of float arithmetic.
 */
static void span_fixed(const struct gl_span_tri *t, struct span *s, int y,
                       int xa, int xb, void (*fast)(struct span *, int, int),
                       const struct emgl_context *c)
{
    int64_t dx = xa - t->zx, dy = y - t->zy;
    int64_t iw = t->iwi0 + t->diwi_dx * dx + t->diwi_dy * dy;
    int64_t uw = t->uwi0 + t->duwi_dx * dx + t->duwi_dy * dy;
    int64_t vw = t->vwi0 + t->dvwi_dx * dx + t->dvwi_dy * dy;
    const int shift = t->uw_shift;
    int64_t r = recip_of(iw);
    s->u = fixed_quot(uw, r, shift);
    s->v = fixed_quot(vw, r, shift);
    for (int x = xa; x < xb;) {
        int seg = GL_SPAN_SEG, seg_shift = GL_SPAN_SEG_SHIFT;
        /* Where 1/w changes fast, shorten the segment (gl_span_draw). */
        for (int64_t change = t->iwi_drift;
             seg > GL_SPAN_SEG_MIN && change > iw; change >>= 1) {
            seg >>= 1;
            seg_shift--;
        }
        if (xb - x < seg) {
            seg = xb - x;
            seg_shift = -1;
        }
        iw += t->diwi_dx * seg;
        uw += t->duwi_dx * seg;
        vw += t->dvwi_dx * seg;
        r = recip_of(iw);
        int64_t u1 = fixed_quot(uw, r, shift);
        int64_t v1 = fixed_quot(vw, r, shift);
        if (seg_shift >= 0) {
            s->du = div_seg(u1 - s->u, seg, seg_shift);
            s->dv = div_seg(v1 - s->v, seg, seg_shift);
        } else {
            s->du = (u1 - s->u) / seg;
            s->dv = (v1 - s->v) / seg;
        }
        if (fast != NULL)
            fast(s, x, seg);
        else
            run_generic(c, t, s, x, seg);
        s->u = u1;
        s->v = v1;
        x += seg;
    }
}

void gl_span_draw(struct emgl_context *c, const struct gl_span_tri *t, int y,
                  int xa, int xb)
{
    int n = xb - xa;
    /* The pixel centre relative to the planes' origin, for the float
     * planes only: a world triangle (constant colour, integer depth and
     * texture planes) starts its spans with no float operation. */
    float px = 0.0f, py = 0.0f;
    if (!t->c_const || !t->z_fixed || t->lv == NULL || !t->persp_fixed) {
        px = (float)xa + 0.5f - t->x0;
        py = (float)y + 0.5f - t->y0;
    }
    struct span s;
    s.gouraud = false;
    for (int ch = 0; ch < GL_SPAN_CHANS; ch++) {
        if (t->c_const) {
            s.col[ch].v = t->c_fix[ch];
            s.col[ch].dv = 0;
            continue;
        }
        s.col[ch] = colour_line(t, ch, px, py, n);
        if (ch != GL_SPAN_FOG && s.col[ch].dv != 0)
            s.gouraud = true;
    }

    span_depth(t, &s, y, xa, n, px, py);

    s.u = s.v = s.du = s.dv = 0;
    if (t->lv != NULL && t->persp_fixed) {
        s.cb = c->color + (size_t)y * c->width;
        s.db = c->depth + (size_t)y * c->width;
        c->stats.fragments += (uint64_t)n;
        span_fixed(t, &s, y, xa, xb, choose_fast(c, t, &s), c);
        return;
    }
    float iw = 0.0f, uw = 0.0f, vw = 0.0f;
    if (t->lv != NULL) {
        iw = at(t->iw0, t->diw_dx, t->diw_dy, px, py);
        uw = at(t->u0, t->du_dx, t->du_dy, px, py);
        vw = at(t->v0, t->dv_dx, t->dv_dy, px, py);
        float w = 1.0f / iw; /* one division, two products */
        s.u = to_fix(uw * w);
        s.v = to_fix(vw * w);
    }
    s.cb = c->color + (size_t)y * c->width;
    s.db = c->depth + (size_t)y * c->width;
    c->stats.fragments += (uint64_t)n;
    void (*fast)(struct span *, int, int) = choose_fast(c, t, &s);

    int64_t u1 = 0, v1 = 0;
    for (int x = xa; x < xb;) {
        int seg = GL_SPAN_SEG;
        if (t->lv != NULL) {
            /* Where 1/w changes fast (a surface seen edge-on), the linear
             * step between divisions drifts: shorten the segment. */
            float change = t->iw_drift;
            while (seg > GL_SPAN_SEG_MIN && change > iw) {
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
            float w = 1.0f / (iw > 0.0f ? iw : 1.0e-30f);
            u1 = to_fix(uw * w);
            v1 = to_fix(vw * w);
            s.du = (u1 - s.u) / seg;
            s.dv = (v1 - s.v) / seg;
        }
        if (fast != NULL)
            fast(&s, x, seg);
        else
            run_generic(c, t, &s, x, seg);
        /* Start the next segment on the exact value, not the sum. */
        s.u = u1;
        s.v = v1;
        x += seg;
    }
}
