/*
 * Differential test of Ember's software GL: the same scenes drawn on Linux
 * and on Ember must give the same pixels, bit for bit.
 *
 * The Quake port compares whole frames between the two systems, which
 * holds only if the library computes the same floats on both: the same
 * compiler, flags (-ffp-contract=off) and musl libm, and an FPU that
 * behaves alike. Each scene here is a few primitives through one part of
 * the pipeline (perspective textures with mipmaps, Gouraud and fog,
 * blending and alpha test, bilinear lightmaps, clipping at the near plane,
 * matrix stacks with rotations); its line gives the fragment count and a
 * CRC-32 of the colour buffer, and tests/system/test_usermode.py checks
 * that Ember's lines equal Linux's.
 *
 * Usage: test_gl RESULT-FILE
 * See: docs/gl.md, tests/user/README.md
 */
#include <GL/emgl.h>
#include <GL/gl.h>
#include <math.h>
#include <stdint.h>

#include "ucheck.h"

#define SCENE_W  160
#define SCENE_H  100
#define TEX_SIDE 64
/* CRC-32 (IEEE 802.3, reflected), the zlib polynomial. */
#define CRC_POLY 0xedb88320u

static uint32_t crc32_words(const uint32_t *p, size_t n)
{
    uint32_t crc = 0xffffffffu;
    for (size_t i = 0; i < n; i++)
        for (int b = 0; b < 4; b++) {
            crc ^= (p[i] >> (8 * b)) & 0xffu;
            for (int k = 0; k < 8; k++)
                crc = (crc >> 1) ^ (CRC_POLY & (0u - (crc & 1u)));
        }
    return ~crc;
}

/* A texture with mip levels made by halving (as Quakespasm uploads). */
static void make_texture(GLenum min_filter, GLenum mag_filter)
{
    static uint8_t img[TEX_SIDE * TEX_SIDE * 4];
    for (int y = 0; y < TEX_SIDE; y++)
        for (int x = 0; x < TEX_SIDE; x++) {
            uint8_t *p = img + (y * TEX_SIDE + x) * 4;
            p[0] = (uint8_t)(x * 4);
            p[1] = (uint8_t)(y * 4);
            p[2] = (uint8_t)(((x / 8 + y / 8) % 2) * 255);
            p[3] = (uint8_t)((x + y) * 2);
        }
    GLuint t;
    glGenTextures(1, &t);
    glBindTexture(GL_TEXTURE_2D, t);
    for (int level = 0, side = TEX_SIDE; side >= 1; level++, side /= 2) {
        glTexImage2D(GL_TEXTURE_2D, level, GL_RGBA, side, side, 0, GL_RGBA,
                     GL_UNSIGNED_BYTE, img);
        /* The next level: every other texel of this one. */
        for (int y = 0; y < side / 2; y++)
            for (int x = 0; x < side / 2; x++)
                for (int c = 0; c < 4; c++)
                    img[(y * (side / 2) + x) * 4 + c] =
                        img[(2 * y * side + 2 * x) * 4 + c];
    }
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, (GLint)min_filter);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, (GLint)mag_filter);
}

static void perspective(void)
{
    glMatrixMode(GL_PROJECTION);
    glLoadIdentity();
    glFrustum(-1.0, 1.0, -0.625, 0.625, 1.0, 200.0);
    glMatrixMode(GL_MODELVIEW);
    glLoadIdentity();
}

/* A corridor: floor and two walls receding, texture repeated. */
static void corridor(void)
{
    const float s = 8.0f;
    glBegin(GL_QUADS);
    glColor3f(1.0f, 1.0f, 1.0f);
    glTexCoord2f(0, 0), glVertex3f(-2, -1, 0.5f);
    glTexCoord2f(1, 0), glVertex3f(2, -1, 0.5f);
    glTexCoord2f(1, s), glVertex3f(2, -1, -40);
    glTexCoord2f(0, s), glVertex3f(-2, -1, -40);
    glColor3f(0.9f, 0.5f, 0.3f);
    glTexCoord2f(0, 0), glVertex3f(-2, -1, 0.5f);
    glTexCoord2f(s, 0), glVertex3f(-2, -1, -40);
    glColor3f(0.2f, 0.4f, 1.0f);
    glTexCoord2f(s, 1), glVertex3f(-2, 2, -40);
    glTexCoord2f(0, 1), glVertex3f(-2, 2, 0.5f);
    glEnd();
    glBegin(GL_TRIANGLE_STRIP);
    for (int i = 0; i <= 8; i++) {
        float z = 0.5f - (float)i * 5.0f;
        glColor3f(0.1f * (float)i, 1.0f, 0.5f);
        glTexCoord2f((float)i, 0), glVertex3f(2, -1, z);
        glTexCoord2f((float)i, 1), glVertex3f(2, 2, z);
    }
    glEnd();
}

static void scene_textured(void)
{
    perspective();
    glEnable(GL_DEPTH_TEST);
    glEnable(GL_TEXTURE_2D);
    make_texture(GL_NEAREST_MIPMAP_NEAREST, GL_NEAREST);
    glRotatef(12.5f, 0.0f, 1.0f, 0.0f);
    corridor();
}

static void scene_lightmap(void)
{
    scene_textured();
    make_texture(GL_LINEAR, GL_LINEAR);
    glDepthMask(GL_FALSE);
    glDepthFunc(GL_EQUAL);
    glEnable(GL_BLEND);
    glBlendFunc(GL_DST_COLOR, GL_SRC_COLOR);
    corridor();
    glBlendFunc(GL_ZERO, GL_SRC_COLOR);
    corridor();
}

static void scene_fog_alpha(void)
{
    perspective();
    glEnable(GL_DEPTH_TEST);
    glEnable(GL_FOG);
    glFogi(GL_FOG_MODE, GL_EXP2);
    glFogf(GL_FOG_DENSITY, 0.05f);
    const GLfloat fog[4] = {0.3f, 0.3f, 0.35f, 1.0f};
    glFogfv(GL_FOG_COLOR, fog);
    glEnable(GL_TEXTURE_2D);
    make_texture(GL_NEAREST, GL_NEAREST);
    glEnable(GL_ALPHA_TEST);
    glAlphaFunc(GL_GREATER, 0.666f);
    corridor();
    glDisable(GL_ALPHA_TEST);
    glDisable(GL_FOG);
    glEnable(GL_BLEND);
    glBlendFunc(GL_SRC_ALPHA, GL_ONE_MINUS_SRC_ALPHA);
    glTexEnvi(GL_TEXTURE_ENV, GL_TEXTURE_ENV_MODE, GL_REPLACE);
    glTranslatef(0.5f, 0.2f, -3.0f);
    glRotatef(33.0f, 1.0f, 1.0f, 0.0f);
    glBegin(GL_POLYGON);
    for (int i = 0; i < 7; i++) {
        float a = (float)i * 6.2831853f / 7.0f;
        glTexCoord2f(cosf(a), sinf(a));
        glVertex3f(cosf(a), sinf(a), 0.0f);
    }
    glEnd();
}

/* Near-plane clipping, culling with GL_CW, the view model's depth range,
 * and the stack: a fan of boxes pushed and popped. */
static void scene_clip_stack(void)
{
    perspective();
    glEnable(GL_DEPTH_TEST);
    glEnable(GL_CULL_FACE);
    glFrontFace(GL_CW);
    glShadeModel(GL_FLAT);
    for (int i = 0; i < 6; i++) {
        glPushMatrix();
        glCullFace(i % 2 ? GL_FRONT : GL_BACK);
        glRotatef((float)i * 60.0f, 0.0f, 1.0f, 0.0f);
        glTranslatef(0.0f, -0.5f, -3.0f);
        glScalef(1.0f, 0.5f, 4.0f); /* reaches behind the eye */
        glBegin(GL_QUAD_STRIP);
        glColor3f(0.2f * (float)i, 0.5f, 1.0f);
        glVertex3f(-1, -1, 1), glVertex3f(-1, 1, 1);
        glColor3f(1.0f, 0.1f * (float)i, 0.3f);
        glVertex3f(1, -1, 1), glVertex3f(1, 1, 1);
        glVertex3f(1, -1, -1), glVertex3f(1, 1, -1);
        glColor3f(0.5f, 0.5f, 0.1f * (float)i);
        glVertex3f(-1, -1, -1), glVertex3f(-1, 1, -1);
        glVertex3f(-1, -1, 1), glVertex3f(-1, 1, 1);
        glEnd();
        glPopMatrix();
    }
    glDepthRange(0.0, 0.3);
    glBegin(GL_TRIANGLES);
    glColor3f(1.0f, 1.0f, 0.0f);
    glVertex3f(0.2f, -0.6f, -1.2f);
    glVertex3f(0.4f, -0.2f, -1.3f);
    glVertex3f(0.6f, -0.6f, -1.5f);
    glEnd();
}

static void run_scene(const char *name, void (*draw)(void))
{
    struct emgl_context *c = emgl_create_context(SCENE_W, SCENE_H);
    if (c == NULL) {
        uc_val(name, "no context");
        return;
    }
    glClearColor(0.1f, 0.2f, 0.3f, 1.0f);
    glClear(GL_COLOR_BUFFER_BIT | GL_DEPTH_BUFFER_BIT);
    draw();
    struct emgl_stats st;
    emgl_get_stats(&st);
    uc_val(name,
           "%llu triangles, %llu culled, %llu fragments, crc %08x, error %#x",
           (unsigned long long)st.triangles, (unsigned long long)st.culled,
           (unsigned long long)st.fragments,
           crc32_words(emgl_framebuffer(), SCENE_W * SCENE_H), glGetError());
    emgl_destroy_context(c);
}

int main(int argc, char **argv)
{
    uc_open(argc, argv);
    run_scene("gl_textured_mipmapped", scene_textured);
    run_scene("gl_lightmap_blends", scene_lightmap);
    run_scene("gl_fog_alpha_polygon", scene_fog_alpha);
    run_scene("gl_clip_cull_stack", scene_clip_stack);
    return uc_close();
}
