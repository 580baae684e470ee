/*
 * Host tests of the GL's per-fragment work: blending, the alpha test,
 * texture environments, filtering, perspective-correct texture
 * coordinates, Gouraud and flat shading, fog, and the texture uploads and
 * copies that feed them.
 *
 * Expected colours come from the OpenGL formulas evaluated in double on
 * 0..1 values and rounded once; the library must match them exactly
 * (blending, MODULATE) or within the tolerance each test states.
 *
 * Portable: host only; links the GL sources built for the host.
 * See: docs/gl.md
 */
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "gl_test.h"

static int red(uint32_t p)
{
    return (int)(p >> 16 & 0xff);
}

static int green(uint32_t p)
{
    return (int)(p >> 8 & 0xff);
}

static int blue(uint32_t p)
{
    return (int)(p & 0xff);
}

/* A texture of w x h RGBA texels from `rgba`, bound, NEAREST, CLAMP. */
static GLuint make_texture(int w, int h, const uint8_t *rgba, GLenum filter)
{
    GLuint t;
    glGenTextures(1, &t);
    glBindTexture(GL_TEXTURE_2D, t);
    glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA, w, h, 0, GL_RGBA, GL_UNSIGNED_BYTE,
                 rgba);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, (GLint)filter);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, (GLint)filter);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP);
    return t;
}

/* OpenGL's blend factor (0..1) for channel i, destination alpha 1. */
static double ref_factor(GLenum f, const double s[4], const double d[3], int i)
{
    switch (f) {
    case GL_ZERO:
        return 0.0;
    case GL_ONE:
        return 1.0;
    case GL_SRC_COLOR:
        return s[i];
    case GL_SRC_ALPHA:
        return s[3];
    case GL_ONE_MINUS_SRC_ALPHA:
        return 1.0 - s[3];
    case GL_DST_COLOR:
        return d[i];
    default:
        return -1.0; /* not used by this test */
    }
}

TEST(gl_blend_equations_exact)
{
    const GLenum modes[][2] = {{GL_SRC_ALPHA, GL_ONE_MINUS_SRC_ALPHA},
                               {GL_ONE, GL_ONE},
                               {GL_DST_COLOR, GL_SRC_COLOR},
                               {GL_ZERO, GL_SRC_COLOR}};
    const uint8_t srcs[][4] = {{200, 100, 50, 128},
                               {255, 0, 17, 3},
                               {1, 254, 128, 255},
                               {90, 180, 220, 77}};
    const uint8_t dsts[][3] = {
        {40, 80, 160}, {255, 255, 255}, {0, 1, 2}, {133, 7, 250}};
    struct emgl_context *c = gl_test_pixels(4, 4);
    glEnable(GL_BLEND);
    for (int m = 0; m < 4; m++)
        for (int k = 0; k < 4; k++)
            for (int j = 0; j < 4; j++) {
                const uint8_t *sb = srcs[k], *db = dsts[j];
                glClearColor(db[0] / 255.0f, db[1] / 255.0f, db[2] / 255.0f,
                             1.0f);
                glClear(GL_COLOR_BUFFER_BIT);
                glBlendFunc(modes[m][0], modes[m][1]);
                glColor4ub(sb[0], sb[1], sb[2], sb[3]);
                gl_test_rect(0.0f, 0.0f, 4.0f, 4.0f, 0.0f);
                double s[4], d[3];
                for (int i = 0; i < 4; i++)
                    s[i] = sb[i] / 255.0;
                for (int i = 0; i < 3; i++)
                    d[i] = db[i] / 255.0;
                uint32_t p = gl_test_px(1, 1);
                int got[3] = {red(p), green(p), blue(p)};
                for (int i = 0; i < 3; i++) {
                    double v = s[i] * ref_factor(modes[m][0], s, d, i) +
                               d[i] * ref_factor(modes[m][1], s, d, i);
                    int want = (int)floor(fmin(v, 1.0) * 255.0 + 0.5);
                    if (got[i] != want)
                        fprintf(stderr, "mode %d src %d dst %d ch %d\n", m, k,
                                j, i);
                    CHECK_EQ(got[i], want);
                }
            }
    emgl_destroy_context(c);
}

/* Console text and fences: GL_GREATER 0.666 keeps alpha 170 and above. */
TEST(gl_alpha_test_greater)
{
    const uint8_t texels[4 * 4] = {255, 0, 0, 169, 255, 0, 0, 170,
                                   255, 0, 0, 171, 255, 0, 0, 0};
    struct emgl_context *c = gl_test_pixels(4, 1);
    glClearColor(0.0f, 0.0f, 1.0f, 1.0f);
    glClear(GL_COLOR_BUFFER_BIT);
    make_texture(4, 1, texels, GL_NEAREST);
    glEnable(GL_TEXTURE_2D);
    glTexEnvi(GL_TEXTURE_ENV, GL_TEXTURE_ENV_MODE, GL_REPLACE);
    glEnable(GL_ALPHA_TEST);
    glAlphaFunc(GL_GREATER, 0.666f);
    gl_test_rect(0.0f, 0.0f, 4.0f, 1.0f, 0.0f);
    CHECK_EQ(gl_test_px(0, 0), 0x0000ffu);
    CHECK_EQ(gl_test_px(1, 0), 0xff0000u);
    CHECK_EQ(gl_test_px(2, 0), 0xff0000u);
    CHECK_EQ(gl_test_px(3, 0), 0x0000ffu);
    emgl_destroy_context(c);
}

/* REPLACE, MODULATE and DECAL on a one-texel texture. */
TEST(gl_texture_env_modes)
{
    const uint8_t texel[4] = {200, 100, 50, 64};
    struct emgl_context *c = gl_test_pixels(2, 2);
    make_texture(1, 1, texel, GL_NEAREST);
    glEnable(GL_TEXTURE_2D);
    glColor4ub(128, 255, 64, 255);

    glTexEnvi(GL_TEXTURE_ENV, GL_TEXTURE_ENV_MODE, GL_MODULATE);
    gl_test_rect(0.0f, 0.0f, 2.0f, 2.0f, 0.0f);
    /* round(200 * 128 / 255) = 100, 100, round(50 * 64 / 255) = 13 */
    CHECK_EQ(gl_test_px(0, 0), 0x64640du);

    glTexEnvi(GL_TEXTURE_ENV, GL_TEXTURE_ENV_MODE, GL_REPLACE);
    gl_test_rect(0.0f, 0.0f, 2.0f, 2.0f, 0.0f);
    CHECK_EQ(gl_test_px(1, 1), 0xc86432u);

    /* DECAL: Cf (1 - At) + Ct At with At = 64/255. */
    glTexEnvi(GL_TEXTURE_ENV, GL_TEXTURE_ENV_MODE, GL_DECAL);
    gl_test_rect(0.0f, 0.0f, 2.0f, 2.0f, 0.0f);
    const int cf[3] = {128, 255, 64}, ct[3] = {200, 100, 50};
    uint32_t p = gl_test_px(1, 0);
    int got[3] = {red(p), green(p), blue(p)};
    for (int i = 0; i < 3; i++) {
        double v = (cf[i] * (255.0 - 64.0) + ct[i] * 64.0) / 255.0;
        CHECK_EQ(got[i], (int)floor(v + 0.5));
    }
    emgl_destroy_context(c);
}

/* An RGB texture under REPLACE keeps the fragment's alpha (table 3.22). */
TEST(gl_texture_rgb_replace_keeps_fragment_alpha)
{
    const uint8_t rgb[4] = {10, 20, 30, 0}; /* one texel, padded row */
    struct emgl_context *c = gl_test_pixels(2, 2);
    GLuint t;
    glGenTextures(1, &t);
    glBindTexture(GL_TEXTURE_2D, t);
    glTexImage2D(GL_TEXTURE_2D, 0, GL_RGB, 1, 1, 0, GL_RGB, GL_UNSIGNED_BYTE,
                 rgb);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_NEAREST);
    glEnable(GL_TEXTURE_2D);
    glTexEnvi(GL_TEXTURE_ENV, GL_TEXTURE_ENV_MODE, GL_REPLACE);
    glEnable(GL_ALPHA_TEST);
    glAlphaFunc(GL_GREATER, 0.5f);
    glColor4f(1.0f, 1.0f, 1.0f, 0.25f); /* fails the alpha test */
    gl_test_rect(0.0f, 0.0f, 2.0f, 2.0f, 0.0f);
    CHECK_EQ(gl_test_px(0, 0), 0u);
    glColor4f(1.0f, 1.0f, 1.0f, 0.75f);
    gl_test_rect(0.0f, 0.0f, 2.0f, 2.0f, 0.0f);
    CHECK_EQ(gl_test_px(0, 0), 0x0a141eu);
    emgl_destroy_context(c);
}

/* Bilinear: a black and a white texel; the ramp between texel centres. */
TEST(gl_texture_linear_filter)
{
    const uint8_t texels[8] = {0, 0, 0, 255, 255, 255, 255, 255};
    struct emgl_context *c = gl_test_pixels(64, 1);
    make_texture(2, 1, texels, GL_LINEAR);
    glEnable(GL_TEXTURE_2D);
    glTexEnvi(GL_TEXTURE_ENV, GL_TEXTURE_ENV_MODE, GL_REPLACE);
    gl_test_rect(0.0f, 0.0f, 64.0f, 1.0f, 0.0f);
    int worst = 0;
    for (int x = 0; x < 64; x++) {
        double u = (x + 0.5) / 64.0 * 2.0 - 0.5; /* from texel 0's centre */
        double want = 255.0 * fmin(fmax(u, 0.0), 1.0);
        int err = abs(red(gl_test_px(x, 0)) - (int)floor(want + 0.5));
        worst = err > worst ? err : worst;
    }
    /* 8-bit weights: within 2 of the exact ramp. */
    CHECK(worst <= 2);
    CHECK_EQ(red(gl_test_px(8, 0)), 0);
    CHECK_EQ(red(gl_test_px(56, 0)), 255);
    emgl_destroy_context(c);
}

#define PW 96
#define PH 72
#define PT 256

/* The receding parallelogram A + s AB + t AD of the perspective test. */
static const double P_A[3] = {-2.0, -1.5, -2.5};
static const double P_AB[3] = {5.0, 0.0, -9.0};
static const double P_AD[3] = {0.0, 3.0, -2.0};

/* The exact texture coordinate at the centre of pixel (x, y), by casting
 * the eye ray through it onto the parallelogram (Cramer's rule). */
static void ref_st(int x, int y, double *s, double *t)
{
    /* glFrustum(-1, 1, -0.75, 0.75, 1, ...): the ray's direction. */
    double dir[3] = {((x + 0.5) / PW * 2.0 - 1.0),
                     (1.0 - (y + 0.5) / PH * 2.0) * 0.75, -1.0};
    double m[3][3];
    for (int i = 0; i < 3; i++) {
        m[i][0] = dir[i];
        m[i][1] = -P_AB[i];
        m[i][2] = -P_AD[i];
    }
    /* k dir - s AB - t AD = A: columns k, s, t. */
    double det = 0.0, ds = 0.0, dt = 0.0;
    for (int i = 0; i < 3; i++) {
        int j = (i + 1) % 3, k = (i + 2) % 3;
        det += m[0][i] * (m[1][j] * m[2][k] - m[1][k] * m[2][j]);
    }
    double ms[3][3], mt[3][3];
    for (int i = 0; i < 3; i++)
        for (int j = 0; j < 3; j++) {
            ms[i][j] = j == 1 ? P_A[i] : m[i][j];
            mt[i][j] = j == 2 ? P_A[i] : m[i][j];
        }
    for (int i = 0; i < 3; i++) {
        int j = (i + 1) % 3, k = (i + 2) % 3;
        ds += ms[0][i] * (ms[1][j] * ms[2][k] - ms[1][k] * ms[2][j]);
        dt += mt[0][i] * (mt[1][j] * mt[2][k] - mt[1][k] * mt[2][j]);
    }
    *s = ds / det;
    *t = dt / det;
}

static void vertex_at(double s, double t)
{
    glTexCoord2f((float)s, (float)t);
    glVertex3f((float)(P_A[0] + s * P_AB[0] + t * P_AD[0]),
               (float)(P_A[1] + s * P_AB[1] + t * P_AD[1]),
               (float)(P_A[2] + s * P_AB[2] + t * P_AD[2]));
}

/*
 * A parallelogram receding in both screen directions, textured with a
 * texture whose texels hold their own coordinates. The tolerance: the
 * centre of every texel fetched is within 1 texel + PERSP_TOL_PX pixels'
 * worth of texels of the exact coordinate at the pixel centre (the exact
 * mapping by ray casting, in double). Depth varies along each row here, so
 * this measures the division once per segment, not only per row; the quad
 * spans from 1 to 12 texels per pixel.
 */
#define PERSP_TOL_PX 0.5
TEST(gl_texture_perspective_correct)
{
    uint8_t *img = malloc(PT * PT * 4);
    for (int t = 0; t < PT; t++)
        for (int s = 0; s < PT; s++) {
            uint8_t *p = img + (t * PT + s) * 4;
            p[0] = (uint8_t)s;
            p[1] = (uint8_t)t;
            p[2] = 255;
            p[3] = 255;
        }
    struct emgl_context *c = emgl_create_context(PW, PH);
    glMatrixMode(GL_PROJECTION);
    glFrustum(-1.0, 1.0, -0.75, 0.75, 1.0, 100.0);
    glMatrixMode(GL_MODELVIEW);
    make_texture(PT, PT, img, GL_NEAREST);
    free(img);
    glEnable(GL_TEXTURE_2D);
    glTexEnvi(GL_TEXTURE_ENV, GL_TEXTURE_ENV_MODE, GL_REPLACE);
    glClear(GL_COLOR_BUFFER_BIT);
    glBegin(GL_QUADS);
    vertex_at(0.0, 0.0);
    vertex_at(1.0, 0.0);
    vertex_at(1.0, 1.0);
    vertex_at(0.0, 1.0);
    glEnd();
    double worst = 0.0;
    int drawn = 0;
    for (int y = 0; y < PH; y++)
        for (int x = 0; x < PW; x++) {
            uint32_t p = gl_test_px(x, y);
            if (blue(p) == 0)
                continue;
            drawn++;
            double s, t;
            ref_st(x, y, &s, &t);
            /* CLAMP: coordinates a hair outside fetch the edge texel. */
            double es = fabs(red(p) + 0.5 - fmin(fmax(s * PT, 0.5), PT - 0.5));
            double et =
                fabs(green(p) + 0.5 - fmin(fmax(t * PT, 0.5), PT - 0.5));
            /* Texels per pixel here, from the exact mapping. */
            double s1, t1, s2, t2;
            ref_st(x + 1, y, &s1, &t1);
            ref_st(x, y + 1, &s2, &t2);
            double rate = PT * fmax(fmax(fabs(s1 - s), fabs(t1 - t)),
                                    fmax(fabs(s2 - s), fabs(t2 - t)));
            /* In units of the tolerance, which grows with the rate. */
            worst = fmax(worst, fmax(es, et) / (1.0 + PERSP_TOL_PX * rate));
        }
    fprintf(stderr,
            "perspective: %d pixels, worst error %.2f of the "
            "tolerance\n",
            drawn, worst);
    CHECK(drawn > PW * PH / 8);
    CHECK(worst <= 1.0);
    emgl_destroy_context(c);
}

/* Gouraud: the centroid of a red-green-blue triangle is grey; GL_FLAT
 * takes the last vertex's colour for every pixel. */
TEST(gl_shading_smooth_and_flat)
{
    struct emgl_context *c = gl_test_pixels(64, 64);
    for (int flat = 0; flat < 2; flat++) {
        glShadeModel(flat ? GL_FLAT : GL_SMOOTH);
        glClear(GL_COLOR_BUFFER_BIT);
        glBegin(GL_TRIANGLES);
        glColor3f(1.0f, 0.0f, 0.0f);
        glVertex2f(2.5f, 2.5f);
        glColor3f(0.0f, 1.0f, 0.0f);
        glVertex2f(62.5f, 2.5f);
        glColor3f(0.0f, 0.0f, 1.0f);
        glVertex2f(2.5f, 62.5f);
        glEnd();
        /* The centroid (22.5, 22.5) is the centre of pixel (22, 22). */
        uint32_t p = gl_test_px(22, 22);
        if (flat) {
            CHECK_EQ(p, 0x0000ffu);
            CHECK_EQ(gl_test_px(55, 3), 0x0000ffu);
        } else {
            CHECK(abs(red(p) - 85) <= 2);
            CHECK(abs(green(p) - 85) <= 2);
            CHECK(abs(blue(p) - 85) <= 2);
            /* Near the green corner. */
            CHECK(green(gl_test_px(58, 3)) > 230);
        }
    }
    emgl_destroy_context(c);
}

/* Linear fog halfway between start and end mixes half the fog colour. */
TEST(gl_fog_linear)
{
    struct emgl_context *c = gl_test_pixels(4, 4);
    glEnable(GL_FOG);
    glFogi(GL_FOG_MODE, GL_LINEAR);
    glFogf(GL_FOG_START, 0.0f);
    glFogf(GL_FOG_END, 1.0f);
    const GLfloat fog[4] = {0.0f, 0.0f, 1.0f, 1.0f};
    glFogfv(GL_FOG_COLOR, fog);
    glColor3f(1.0f, 0.0f, 0.0f);
    gl_test_rect(0.0f, 0.0f, 4.0f, 4.0f, 0.5f); /* eye distance 0.5 */
    uint32_t p = gl_test_px(1, 1);
    CHECK(abs(red(p) - 128) <= 1);
    CHECK(abs(blue(p) - 128) <= 1);
    glDisable(GL_FOG);
    gl_test_rect(0.0f, 0.0f, 4.0f, 4.0f, 0.5f);
    CHECK_EQ(gl_test_px(1, 1), 0xff0000u);
    emgl_destroy_context(c);
}

/*
 * The span loops made for Quake's world passes (gl_span.c's plain loops:
 * REPEAT wrap, REPLACE, no alpha test, no blend or a lightmap blend) must
 * draw what the generic loop draws, bit for bit. The generic loop takes
 * CLAMP, so each state is drawn twice, REPEAT then CLAMP, with texture
 * coordinates well inside the texture (both wraps fetch the same texels,
 * neighbours of the bilinear cells included), over a Gouraud background
 * that gives the blends and the depth test varied inputs; then an opaque
 * probe at one depth shows where each wrote depth.
 */
#define SW 96
#define SH 72
#define ST 32

static void world_scene(GLenum wrap, GLenum filter, int blend, GLenum depth,
                        bool mask, bool quad, uint32_t *out)
{
    glClear(GL_COLOR_BUFFER_BIT | GL_DEPTH_BUFFER_BIT);
    glDisable(GL_TEXTURE_2D);
    glDisable(GL_BLEND);
    glEnable(GL_DEPTH_TEST);
    glDepthFunc(GL_ALWAYS);
    glDepthMask(GL_TRUE);
    /* The background: a colour ramp across a slanted plane. */
    glBegin(GL_QUADS);
    glColor3ub(250, 10, 90);
    glVertex3f(-3.0f, -2.0f, -4.0f);
    glColor3ub(20, 240, 60);
    glVertex3f(3.0f, -2.0f, -6.0f);
    glColor3ub(128, 128, 255);
    glVertex3f(3.0f, 2.0f, -6.0f);
    glColor3ub(255, 255, 255);
    glVertex3f(-3.0f, 2.0f, -4.0f);
    glEnd();
    glEnable(GL_TEXTURE_2D);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, (GLint)wrap);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, (GLint)wrap);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, (GLint)filter);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, (GLint)filter);
    if (depth == GL_NONE) {
        glDisable(GL_DEPTH_TEST);
    } else {
        glDepthFunc(depth);
    }
    glDepthMask(mask ? GL_TRUE : GL_FALSE);
    if (blend != 0) {
        glEnable(GL_BLEND);
        glBlendFunc(blend == 1 ? GL_DST_COLOR : GL_ZERO, GL_SRC_COLOR);
    }
    /* Receding through the background's depths; s, t within 0.25..0.75. */
    glColor3ub(255, 255, 255);
    glBegin(quad ? GL_QUADS : GL_POINTS);
    glTexCoord2f(0.25f, 0.25f);
    glVertex3f(-2.5f, -1.8f, -2.5f);
    glTexCoord2f(0.75f, 0.25f);
    glVertex3f(2.5f, -1.5f, -9.0f);
    glTexCoord2f(0.75f, 0.75f);
    glVertex3f(2.5f, 1.5f, -9.0f);
    glTexCoord2f(0.25f, 0.75f);
    glVertex3f(-2.5f, 1.8f, -2.5f);
    glEnd();
    /* The probe: opaque, at one depth, drawn where the buffer is farther. */
    glDisable(GL_TEXTURE_2D);
    glDisable(GL_BLEND);
    glEnable(GL_DEPTH_TEST);
    glDepthFunc(GL_LESS);
    glColor3ub(1, 2, 3);
    glBegin(GL_QUADS);
    glVertex3f(-0.6f, -3.0f, -5.0f);
    glVertex3f(0.6f, -3.0f, -5.0f);
    glVertex3f(0.6f, 3.0f, -5.0f);
    glVertex3f(-0.6f, 3.0f, -5.0f);
    glEnd();
    memcpy(out, emgl_framebuffer(), sizeof(uint32_t) * SW * SH);
}

/* Draws every state twice (REPEAT, CLAMP) with the bound texture; counts
 * the states drawn and those whose pictures differ or show no quad. */
static void world_states(int *states, int *differing, int *blank)
{
    static uint32_t a[SW * SH], b[SW * SH];
    const GLenum filters[] = {GL_NEAREST, GL_LINEAR};
    const GLenum depths[] = {GL_NONE, GL_LEQUAL, GL_GEQUAL};
    for (int f = 0; f < 2; f++)
        for (int bl = 0; bl < 3; bl++)
            for (int d = 0; d < 3; d++)
                for (int m = 0; m < 2; m++) {
                    world_scene(GL_REPEAT, filters[f], bl, depths[d], m, true,
                                a);
                    world_scene(GL_CLAMP, filters[f], bl, depths[d], m, true,
                                b);
                    (*states)++;
                    if (memcmp(a, b, sizeof a) != 0) {
                        fprintf(stderr,
                                "world loops: filter %d blend %d depth %d "
                                "mask %d differ\n",
                                f, bl, d, m);
                        (*differing)++;
                    }
                    /* The textured quad must have drawn. */
                    world_scene(GL_REPEAT, filters[f], bl, depths[d], m, false,
                                b);
                    int n = 0;
                    for (int i = 0; i < SW * SH; i++)
                        n += a[i] != b[i];
                    *blank += n <= SW * SH / 32;
                }
}

/* With a texture of random colours, then with a grey one (a lightmap
 * without coloured light) in which every seventh texel has a colour, so
 * that the bilinear loop meets grey cells, coloured cells and both in
 * one span. */
TEST(gl_world_loops_match_generic)
{
    uint8_t img[ST * ST * 4];
    int states = 0, differing = 0, blank = 0;
    struct emgl_context *c = emgl_create_context(SW, SH);
    glMatrixMode(GL_PROJECTION);
    glFrustum(-1.0, 1.0, -0.75, 0.75, 1.0, 100.0);
    glMatrixMode(GL_MODELVIEW);
    glTexEnvi(GL_TEXTURE_ENV, GL_TEXTURE_ENV_MODE, GL_REPLACE);
    for (int grey = 0; grey < 2; grey++) {
        uint32_t seed = 12345u;
        for (int i = 0; i < ST * ST * 4; i++) {
            seed = seed * 1103515245u + 12345u;
            img[i] = (uint8_t)(seed >> 16);
            if (grey && i % 4 != 0 && i / 4 % 7 != 0)
                img[i] = img[i - i % 4];
        }
        make_texture(ST, ST, img, GL_NEAREST);
        world_states(&states, &differing, &blank);
    }
    CHECK_EQ(states, 72);
    CHECK_EQ(differing, 0);
    CHECK_EQ(blank, 0);
    emgl_destroy_context(c);
}

int main(void)
{
    RUN(gl_blend_equations_exact);
    RUN(gl_alpha_test_greater);
    RUN(gl_texture_env_modes);
    RUN(gl_texture_rgb_replace_keeps_fragment_alpha);
    RUN(gl_texture_linear_filter);
    RUN(gl_texture_perspective_correct);
    RUN(gl_shading_smooth_and_flat);
    RUN(gl_fog_linear);
    RUN(gl_world_loops_match_generic);
    return check_summary();
}
