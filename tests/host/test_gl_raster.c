/*
 * Host tests of the GL's rasterisation: the fill rule, clipping against
 * the near plane and the viewport, the scissor, face culling, the depth
 * test and ReadPixels orientation.
 *
 * The fill-rule tests draw meshes whose triangles share edges with
 * additive blending of 1/255 per fragment, so a pixel drawn twice reads 2
 * and a crack reads 0: every pixel inside the mesh must read exactly 1.
 *
 * Portable: host only; links the GL sources built for the host.
 * See: docs/gl.md
 */
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>

#include "check.h"
#include "gl_test.h"

#define W 64
#define H 48

/* Additive drawing of 1/255 per fragment, on black. */
static void count_mode(void)
{
    glClearColor(0.0f, 0.0f, 0.0f, 0.0f);
    glClear(GL_COLOR_BUFFER_BIT);
    glEnable(GL_BLEND);
    glBlendFunc(GL_ONE, GL_ONE);
    glColor3ub(1, 1, 1);
}

/* A jittered grid of quads, each split into two triangles. */
TEST(gl_fill_grid_draws_each_pixel_once)
{
    enum { N = 6 };
    struct emgl_context *c = gl_test_pixels(W, H);
    count_mode();
    float px[N + 1][N + 1], py[N + 1][N + 1];
    srand(7);
    for (int j = 0; j <= N; j++)
        for (int i = 0; i <= N; i++) {
            /* Interior points move by up to 2 pixels, some land on pixel
             * centres or edges exactly (multiples of 1/2). */
            float jx = (i > 0 && i < N) ? (rand() % 9 - 4) * 0.5f : 0.0f;
            float jy = (j > 0 && j < N) ? (rand() % 9 - 4) * 0.37f : 0.0f;
            px[j][i] = 4.0f + i * 9.0f + jx;
            py[j][i] = 3.0f + j * 7.0f + jy;
        }
    glBegin(GL_TRIANGLES);
    for (int j = 0; j < N; j++)
        for (int i = 0; i < N; i++) {
            int flip = (i + j) % 2;
            float ax = px[j][i], ay = py[j][i];
            float bx = px[j][i + 1], by = py[j][i + 1];
            float cx = px[j + 1][i + 1], cy = py[j + 1][i + 1];
            float dx = px[j + 1][i], dy = py[j + 1][i];
            if (flip) {
                glVertex2f(ax, ay), glVertex2f(bx, by), glVertex2f(cx, cy);
                glVertex2f(ax, ay), glVertex2f(cx, cy), glVertex2f(dx, dy);
            } else {
                glVertex2f(ax, ay), glVertex2f(bx, by), glVertex2f(dx, dy);
                glVertex2f(bx, by), glVertex2f(cx, cy), glVertex2f(dx, dy);
            }
        }
    glEnd();
    /* The outline is the rectangle [4, 58] x [3, 45]. */
    int bad = 0;
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++) {
            float cx = x + 0.5f, cy = y + 0.5f;
            bool inside = cx >= 4.0f && cx < 58.0f && cy >= 3.0f && cy < 45.0f;
            uint32_t want = inside ? 0x010101u : 0;
            if (gl_test_px(x, y) != want && bad++ < 5)
                fprintf(stderr, "pixel %d,%d = %06x, want %06x\n", x, y,
                        gl_test_px(x, y), want);
        }
    CHECK_EQ(bad, 0);
    emgl_destroy_context(c);
}

/* A fan of thin triangles around a centre that is not on a pixel grid. */
TEST(gl_fill_fan_has_no_cracks_or_overlaps)
{
    enum { SPOKES = 37 };
    struct emgl_context *c = gl_test_pixels(W, H);
    count_mode();
    const float cx = 31.3f, cy = 23.7f, r = 20.0f;
    glBegin(GL_TRIANGLE_FAN);
    glVertex2f(cx, cy);
    for (int i = 0; i <= SPOKES; i++) {
        float a = (float)(2.0 * M_PI * (i % SPOKES) / SPOKES);
        glVertex2f(cx + r * cosf(a), cy + r * sinf(a));
    }
    glEnd();
    int twice = 0, holes = 0;
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++) {
            uint32_t p = gl_test_px(x, y);
            float dx = x + 0.5f - cx, dy = y + 0.5f - cy;
            /* Well inside the polygon (its inner radius is r cos(pi/N)). */
            if (p > 0x010101u)
                twice++;
            if (sqrtf(dx * dx + dy * dy) < r * 0.99f && p != 0x010101u)
                holes++;
        }
    CHECK_EQ(twice, 0);
    CHECK_EQ(holes, 0);
    emgl_destroy_context(c);
}

/* Centres exactly on edges: left and top edges take them, right and
 * bottom ones do not, so a 4x4 square on integer edges covers 16. */
TEST(gl_fill_rule_top_left)
{
    struct emgl_context *c = gl_test_pixels(16, 16);
    count_mode();
    /* Edges through pixel centres: x = 2.5 .. 6.5, y = 3.5 .. 7.5. */
    gl_test_rect(2.5f, 3.5f, 6.5f, 7.5f, 0.0f);
    int n = 0;
    for (int y = 0; y < 16; y++)
        for (int x = 0; x < 16; x++)
            n += gl_test_px(x, y) != 0;
    CHECK_EQ(n, 16);
    CHECK(gl_test_px(2, 3) != 0); /* top-left corner: in */
    CHECK(gl_test_px(6, 3) == 0); /* on the right edge: out */
    CHECK(gl_test_px(2, 7) == 0); /* on the bottom edge: out */
    CHECK(gl_test_px(5, 6) != 0);
    emgl_destroy_context(c);
}

/* A perspective view of a floor that passes behind the eye. */
TEST(gl_clip_near_plane)
{
    struct emgl_context *c = emgl_create_context(W, H);
    glMatrixMode(GL_PROJECTION);
    glLoadIdentity();
    glFrustum(-1.0, 1.0, -0.75, 0.75, 1.0, 100.0);
    glMatrixMode(GL_MODELVIEW);
    glLoadIdentity();
    glClear(GL_COLOR_BUFFER_BIT);
    glColor3f(1.0f, 1.0f, 1.0f);
    /* Floor y = -1 from z = +50 (behind) to z = -50 (ahead). */
    glBegin(GL_QUADS);
    glVertex3f(-50.0f, -1.0f, 50.0f);
    glVertex3f(50.0f, -1.0f, 50.0f);
    glVertex3f(50.0f, -1.0f, -50.0f);
    glVertex3f(-50.0f, -1.0f, -50.0f);
    glEnd();
    /* Horizon at the middle row: below is floor, above is not. The far
     * edge z = -50 is at row H/2 + (1/50) * (H/2) / 0.75 = 24.64. */
    int below = 0, above = 0;
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++) {
            bool lit = gl_test_px(x, y) != 0;
            if (y >= 26 && !lit)
                below++;
            if (y <= 23 && lit)
                above++;
        }
    CHECK_EQ(below, 0);
    CHECK_EQ(above, 0);
    /* A triangle wholly behind the eye draws nothing. */
    glClear(GL_COLOR_BUFFER_BIT);
    glBegin(GL_TRIANGLES);
    glVertex3f(-1.0f, -1.0f, 5.0f);
    glVertex3f(1.0f, -1.0f, 5.0f);
    glVertex3f(0.0f, 1.0f, 5.0f);
    glEnd();
    int lit = 0;
    for (int i = 0; i < W * H; i++)
        lit += emgl_framebuffer()[i] != 0;
    CHECK_EQ(lit, 0);
    emgl_destroy_context(c);
}

/* A huge triangle fills exactly the viewport, nothing around it. */
TEST(gl_clip_viewport)
{
    struct emgl_context *c = emgl_create_context(W, H);
    glViewport(10, 5, 20, 15); /* rows from the bottom: 5..19 */
    glClear(GL_COLOR_BUFFER_BIT);
    glColor3f(1.0f, 0.0f, 0.0f);
    glBegin(GL_TRIANGLES);
    glVertex2f(-1.0e6f, -1.0e6f);
    glVertex2f(1.0e6f, -1.0e6f);
    glVertex2f(0.0f, 1.0e6f);
    glEnd();
    int wrong = 0;
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++) {
            int gl_y = H - 1 - y;
            bool in = x >= 10 && x < 30 && gl_y >= 5 && gl_y < 20;
            if ((gl_test_px(x, y) == 0xff0000u) != in)
                wrong++;
        }
    CHECK_EQ(wrong, 0);
    emgl_destroy_context(c);
}

TEST(gl_scissor_limits_clear_and_draw)
{
    struct emgl_context *c = gl_test_pixels(W, H);
    glClearColor(0.0f, 0.0f, 1.0f, 1.0f);
    glClear(GL_COLOR_BUFFER_BIT);
    glEnable(GL_SCISSOR_TEST);
    glScissor(8, 8, 16, 4); /* GL rows 8..11 = buffer rows 36..39 */
    glClearColor(0.0f, 1.0f, 0.0f, 1.0f);
    glClear(GL_COLOR_BUFFER_BIT);
    glColor3f(1.0f, 0.0f, 0.0f);
    gl_test_rect(0.0f, 38.0f, (float)W, (float)H, 0.0f);
    int wrong = 0;
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++) {
            bool in = x >= 8 && x < 24 && y >= 36 && y < 40;
            uint32_t want = !in ? 0x0000ffu : y >= 38 ? 0xff0000u : 0x00ff00u;
            wrong += gl_test_px(x, y) != want;
        }
    CHECK_EQ(wrong, 0);
    emgl_destroy_context(c);
}

/* glFrontFace(GL_CW) with back-face culling: clockwise triangles stay. */
TEST(gl_cull_front_face_cw)
{
    struct emgl_context *c = emgl_create_context(16, 16);
    glEnable(GL_CULL_FACE);
    glCullFace(GL_BACK);
    glColor3f(1.0f, 1.0f, 1.0f);
    /* Counter-clockwise in GL's y-up window space. */
    float ccw[3][2] = {{-0.5f, -0.5f}, {0.5f, -0.5f}, {0.0f, 0.5f}};
    for (int round = 0; round < 4; round++) {
        glFrontFace(round < 2 ? GL_CCW : GL_CW);
        glClear(GL_COLOR_BUFFER_BIT);
        glBegin(GL_TRIANGLES);
        for (int i = 0; i < 3; i++) {
            int k = round % 2 == 0 ? i : 2 - i; /* odd rounds: clockwise */
            glVertex2f(ccw[k][0], ccw[k][1]);
        }
        glEnd();
        bool drawn = gl_test_px(8, 8) != 0;
        bool front = (round < 2) == (round % 2 == 0);
        CHECK_EQ(drawn, front);
    }
    emgl_destroy_context(c);
}

/* Draws a 4x4 quad of colour rgb at depth z at (2,2). */
static void depth_quad(float z, uint32_t rgb)
{
    glColor3ub((GLubyte)(rgb >> 16), (GLubyte)(rgb >> 8), (GLubyte)rgb);
    gl_test_rect(2.0f, 2.0f, 6.0f, 6.0f, z);
}

TEST(gl_depth_funcs)
{
    /* Does each pass against 0.5: nearer (0.25), equal, farther (0.75)? */
    const struct {
        GLenum func;
        bool pass[3];
    } cases[] = {
        {GL_NEVER, {false, false, false}},  {GL_LESS, {true, false, false}},
        {GL_EQUAL, {false, true, false}},   {GL_LEQUAL, {true, true, false}},
        {GL_GREATER, {false, false, true}}, {GL_NOTEQUAL, {true, false, true}},
        {GL_GEQUAL, {false, true, true}},   {GL_ALWAYS, {true, true, true}},
    };
    struct emgl_context *c = gl_test_pixels(8, 8);
    glEnable(GL_DEPTH_TEST);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const float zs[3] = {0.25f, 0.5f, 0.75f};
        for (int k = 0; k < 3; k++) {
            glClear(GL_COLOR_BUFFER_BIT | GL_DEPTH_BUFFER_BIT);
            glDepthFunc(GL_ALWAYS);
            depth_quad(0.5f, 0x0000ff);
            glDepthFunc(cases[i].func);
            depth_quad(zs[k], 0x00ff00);
            uint32_t want = cases[i].pass[k] ? 0x00ff00u : 0x0000ffu;
            if (gl_test_px(3, 3) != want)
                fprintf(stderr, "func %#x z %.2f\n", cases[i].func, zs[k]);
            CHECK_EQ(gl_test_px(3, 3), want);
        }
    }
    emgl_destroy_context(c);
}

TEST(gl_depth_mask_and_range)
{
    struct emgl_context *c = gl_test_pixels(8, 8);
    glEnable(GL_DEPTH_TEST);
    glClear(GL_COLOR_BUFFER_BIT | GL_DEPTH_BUFFER_BIT);
    /* With the mask off, a near quad colours but leaves depth at 1. */
    glDepthMask(GL_FALSE);
    depth_quad(0.2f, 0xff0000);
    glDepthMask(GL_TRUE);
    depth_quad(0.6f, 0x00ff00);
    CHECK_EQ(gl_test_px(3, 3), 0x00ff00u);
    /* The depth test disabled: no depth write either. */
    glDisable(GL_DEPTH_TEST);
    depth_quad(0.1f, 0x0000ff);
    glEnable(GL_DEPTH_TEST);
    depth_quad(0.4f, 0xffffff);
    CHECK_EQ(gl_test_px(3, 3), 0xffffffu);
    /* glDepthRange(0, 0.3) squeezes z = 1 to depth 0.3: in front of 0.4. */
    glDepthRange(0.0, 0.3);
    depth_quad(1.0f, 0x123456);
    CHECK_EQ(gl_test_px(3, 3), 0x123456u);
    glDepthRange(0.1, 1.0); /* z = 0 now lands at 0.1: in front of 0.3 */
    depth_quad(0.0f, 0x654321);
    CHECK_EQ(gl_test_px(3, 3), 0x654321u);
    glDepthRange(0.35, 1.0); /* z = 0 lands at 0.35: behind 0.1 */
    depth_quad(0.0f, 0xabcdef);
    CHECK_EQ(gl_test_px(3, 3), 0x654321u);
    glDepthRange(0.0, 1.0);
    depth_quad(0.11f, 0xabcdef); /* behind 0.1 */
    CHECK_EQ(gl_test_px(3, 3), 0x654321u);
    emgl_destroy_context(c);
}

/* glReadPixels: row 0 is the bottom of the window. */
TEST(gl_readpixels_bottom_row_first)
{
    struct emgl_context *c = gl_test_pixels(8, 4);
    glClear(GL_COLOR_BUFFER_BIT);
    glColor3f(1.0f, 0.0f, 0.0f);
    gl_test_rect(0.0f, 3.0f, 8.0f, 4.0f, 0.0f); /* buffer row 3 = bottom */
    glColor3f(0.0f, 0.0f, 1.0f);
    gl_test_rect(0.0f, 0.0f, 1.0f, 1.0f, 0.0f); /* top-left pixel */
    uint8_t px[4 * 8 * 3];
    glPixelStorei(GL_PACK_ALIGNMENT, 1);
    glReadPixels(0, 0, 8, 4, GL_RGB, GL_UNSIGNED_BYTE, px);
    CHECK_EQ(px[0], 255); /* window row 0: red */
    CHECK_EQ(px[2], 0);
    size_t top = 3 * 8 * 3; /* window row 3 starts here */
    CHECK_EQ(px[top + 0], 0);
    CHECK_EQ(px[top + 2], 255);
    CHECK_EQ(px[top + 3 + 2], 0); /* its second pixel is black */
    CHECK_EQ(glGetError(), GL_NO_ERROR);
    emgl_destroy_context(c);
}

int main(void)
{
    RUN(gl_fill_grid_draws_each_pixel_once);
    RUN(gl_fill_fan_has_no_cracks_or_overlaps);
    RUN(gl_fill_rule_top_left);
    RUN(gl_clip_near_plane);
    RUN(gl_clip_viewport);
    RUN(gl_scissor_limits_clear_and_draw);
    RUN(gl_cull_front_face_cw);
    RUN(gl_depth_funcs);
    RUN(gl_depth_mask_and_range);
    RUN(gl_readpixels_bottom_row_first);
    return check_summary();
}
