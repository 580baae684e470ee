/*
 * Benchmarks of Ember's software GL, run inside Ember by `make bench` and
 * on Linux for scale: how many fragments per second each kind of span
 * shades, and how many small triangles per second the setup handles.
 *
 * Each case draws into a 320x200 context (Quake's smallest mode) for a
 * fixed number of frames, takes the fragment count from the library's own
 * statistics (emgl_get_stats) and the time from clock_gettime
 * (CLOCK_MONOTONIC, from the TSC on Ember), and prints "bench: name: value
 * unit", the format tests/system/bench.py collects:
 * - gl_fill_world: a perspective, textured (NEAREST, REPEAT), depth-tested
 *   quad in white, the world surfaces' case;
 * - gl_fill_textured: the same with Gouraud colour (MODULATE), as models;
 * - gl_fill_lightmap: the same with LINEAR filtering and DST_COLOR blending
 *   over it, the lightmap pass;
 * - gl_fill_flat: untextured Gouraud, depth-tested;
 * - gl_small_triangles: 8-pixel textured triangles, setup-bound.
 * Each figure is the best of BENCH_REPS runs, so that a busy host's
 * preemptions (the guest's clock counts them) spoil fewer of them.
 *
 * Usage: bench_gl
 * See: docs/gl.md
 */
#include <GL/emgl.h>
#include <GL/gl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define BENCH_W      320
#define BENCH_H      200
#define BENCH_TEX    64
#define BENCH_FRAMES 10
#define BENCH_REPS   7
#define BENCH_SMALL  5000

static double now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static void report(const char *name, double value, const char *unit)
{
    printf("bench: %s: %.2f %s\n", name, value, unit);
    fflush(stdout);
}

/* A checkerboard-ish RGBA texture, bound, with the given filter. */
static void make_texture(GLenum filter)
{
    static uint8_t img[BENCH_TEX * BENCH_TEX * 4];
    for (int i = 0; i < BENCH_TEX * BENCH_TEX; i++) {
        img[i * 4 + 0] = (uint8_t)(i * 7);
        img[i * 4 + 1] = (uint8_t)(i >> 3);
        img[i * 4 + 2] = (uint8_t)((i >> 6) * 5);
        img[i * 4 + 3] = 255;
    }
    GLuint t;
    glGenTextures(1, &t);
    glBindTexture(GL_TEXTURE_2D, t);
    glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA, BENCH_TEX, BENCH_TEX, 0, GL_RGBA,
                 GL_UNSIGNED_BYTE, img);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, (GLint)filter);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, (GLint)filter);
}

static bool gouraud = true;

/* A floor-and-wall view: a quad receding from the bottom of the screen. */
static void draw_view(void)
{
    glBegin(GL_QUADS);
    glColor3f(1.0f, 0.9f, 0.8f);
    if (!gouraud)
        glColor3f(1.0f, 1.0f, 1.0f);
    glTexCoord2f(0.0f, 0.0f);
    glVertex3f(-4.0f, -3.0f, -2.0f);
    glTexCoord2f(4.0f, 0.0f);
    glVertex3f(4.0f, -3.0f, -2.0f);
    if (gouraud)
        glColor3f(0.5f, 0.6f, 0.7f);
    glTexCoord2f(4.0f, 8.0f);
    glVertex3f(4.0f, 6.0f, -12.0f);
    glTexCoord2f(0.0f, 8.0f);
    glVertex3f(-4.0f, 6.0f, -12.0f);
    glEnd();
}

static void setup_view(void)
{
    glMatrixMode(GL_PROJECTION);
    glLoadIdentity();
    glFrustum(-1.0, 1.0, -0.625, 0.625, 1.0, 100.0);
    glMatrixMode(GL_MODELVIEW);
    glLoadIdentity();
    glEnable(GL_DEPTH_TEST);
    glDepthFunc(GL_LEQUAL);
}

/* Draws `frames` frames with draw(), BENCH_REPS times; reports the best
 * in Mfragments/s and ns a fragment (the clears count in the time). */
static void fill_case(const char *name, int frames, void (*draw)(void))
{
    double ns = 0.0;
    struct emgl_stats st;
    for (int r = 0; r < BENCH_REPS; r++) {
        emgl_reset_stats();
        double t0 = now_ns();
        for (int f = 0; f < frames; f++) {
            glClear(GL_COLOR_BUFFER_BIT | GL_DEPTH_BUFFER_BIT);
            draw();
        }
        double t = now_ns() - t0;
        ns = r == 0 || t < ns ? t : ns;
    }
    emgl_get_stats(&st);
    char label[64];
    report(name, (double)st.fragments / ns * 1e3, "Mfragments/s");
    snprintf(label, sizeof label, "%s_per_fragment", name);
    report(label, ns / (double)st.fragments, "ns");
}

static void small_triangles(void)
{
    for (int i = 0; i < BENCH_SMALL; i++) {
        float x = (float)(i % 300 + 10), y = (float)(i * 7 % 180 + 10);
        glBegin(GL_TRIANGLES);
        glTexCoord2f(0.0f, 0.0f);
        glVertex2f(x, y);
        glTexCoord2f(1.0f, 0.0f);
        glVertex2f(x + 4.0f, y);
        glTexCoord2f(0.0f, 1.0f);
        glVertex2f(x, y + 4.0f);
        glEnd();
    }
}

static void draw_lightmap(void)
{
    glDisable(GL_BLEND);
    draw_view();
    glEnable(GL_BLEND);
    glBlendFunc(GL_DST_COLOR, GL_SRC_COLOR);
    draw_view();
    glDisable(GL_BLEND);
}

int main(void)
{
    if (emgl_create_context(BENCH_W, BENCH_H) == NULL) {
        fprintf(stderr, "bench_gl: no memory for a context\n");
        return 1;
    }
    setup_view();
    glEnable(GL_TEXTURE_2D);
    make_texture(GL_NEAREST);
    gouraud = false;
    fill_case("gl_fill_world", BENCH_FRAMES, draw_view);
    gouraud = true;
    fill_case("gl_fill_textured", BENCH_FRAMES, draw_view);
    make_texture(GL_LINEAR);
    fill_case("gl_fill_lightmap", BENCH_FRAMES, draw_lightmap);
    glDisable(GL_TEXTURE_2D);
    fill_case("gl_fill_flat", BENCH_FRAMES, draw_view);

    glEnable(GL_TEXTURE_2D);
    glDisable(GL_DEPTH_TEST);
    glMatrixMode(GL_PROJECTION);
    glLoadIdentity();
    glOrtho(0.0, BENCH_W, BENCH_H, 0.0, -1.0, 1.0);
    double ns = 0.0;
    for (int r = 0; r < BENCH_REPS; r++) {
        double t0 = now_ns();
        small_triangles();
        double t = now_ns() - t0;
        ns = r == 0 || t < ns ? t : ns;
    }
    report("gl_small_triangles", BENCH_SMALL / ns * 1e9, "triangles/s");
    report("gl_small_triangle", ns / BENCH_SMALL, "ns");
    return 0;
}
