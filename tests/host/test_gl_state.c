/*
 * Host tests of the GL's state: the matrix stacks against hand-computed
 * matrices, the strings and queries a program makes first, errors, and
 * texture upload, sub-upload, read-back and copy from the framebuffer.
 *
 * Portable: host only; links the GL sources built for the host.
 * See: docs/gl.md
 */
#include <math.h>
#include <stdbool.h>
#include <string.h>

#include "check.h"
#include "gl_test.h"

/* Both column-major 4x4 matrices equal within eps. */
static bool mat_eq(const GLfloat *a, const float *b, float eps)
{
    for (int i = 0; i < 16; i++)
        if (fabsf(a[i] - b[i]) > eps) {
            fprintf(stderr, "element %d: %g != %g\n", i, a[i], b[i]);
            return false;
        }
    return true;
}

TEST(gl_matrix_operations)
{
    struct emgl_context *c = emgl_create_context(4, 4);
    GLfloat m[16];
    glMatrixMode(GL_MODELVIEW);
    glLoadIdentity();
    glTranslatef(1.0f, 2.0f, 3.0f);
    glScalef(2.0f, 3.0f, 4.0f);
    glGetFloatv(GL_MODELVIEW_MATRIX, m);
    /* T * S: scale on the diagonal, translation in the last column. */
    const float ts[16] = {2, 0, 0, 0, 0, 3, 0, 0, 0, 0, 4, 0, 1, 2, 3, 1};
    CHECK(mat_eq(m, ts, 0.0f));

    /* 90 degrees about z: x goes to y, y to -x. */
    glLoadIdentity();
    glRotatef(90.0f, 0.0f, 0.0f, 1.0f);
    glGetFloatv(GL_MODELVIEW_MATRIX, m);
    const float rz[16] = {0, 1, 0, 0, -1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1};
    CHECK(mat_eq(m, rz, 1e-6f));
    /* The axis need not be unit length; -90 about -x equals 90 about x. */
    glLoadIdentity();
    glRotatef(-90.0f, -5.0f, 0.0f, 0.0f);
    glGetFloatv(GL_MODELVIEW_MATRIX, m);
    const float rx[16] = {1, 0, 0, 0, 0, 0, 1, 0, 0, -1, 0, 0, 0, 0, 0, 1};
    CHECK(mat_eq(m, rx, 1e-6f));

    /* glFrustum(-1, 1, -1, 1, 1, 3), by the formula of section 2.10.2. */
    glMatrixMode(GL_PROJECTION);
    glLoadIdentity();
    glFrustum(-1.0, 1.0, -1.0, 1.0, 1.0, 3.0);
    glGetFloatv(GL_PROJECTION_MATRIX, m);
    const float fr[16] = {1, 0, 0, 0, 0, 1, 0, 0, 0, 0, -2, -1, 0, 0, -3, 0};
    CHECK(mat_eq(m, fr, 1e-6f));
    /* glOrtho(0, 320, 200, 0, -99999, 99999), Quakespasm's 2D setup. */
    glLoadIdentity();
    glOrtho(0.0, 320.0, 200.0, 0.0, -99999.0, 99999.0);
    glGetFloatv(GL_PROJECTION_MATRIX, m);
    const float orth[16] = {
        2.0f / 320, 0,  0, 0, 0, -2.0f / 200, 0, 0, 0, 0, -1.0f / 99999,
        0,          -1, 1, 0, 1};
    CHECK(mat_eq(m, orth, 1e-6f));

    /* glMultMatrixf multiplies on the right. */
    glMatrixMode(GL_MODELVIEW);
    glLoadIdentity();
    glTranslatef(1.0f, 0.0f, 0.0f);
    glMultMatrixf(ts);
    glGetFloatv(GL_MODELVIEW_MATRIX, m);
    float want[16];
    memcpy(want, ts, sizeof want);
    want[12] += 1.0f;
    CHECK(mat_eq(m, want, 0.0f));
    emgl_destroy_context(c);
}

TEST(gl_matrix_stack_push_pop)
{
    struct emgl_context *c = emgl_create_context(4, 4);
    GLfloat m[16];
    GLint depth;
    glMatrixMode(GL_MODELVIEW);
    glTranslatef(5.0f, 0.0f, 0.0f);
    glPushMatrix();
    glScalef(2.0f, 2.0f, 2.0f);
    glGetIntegerv(GL_MODELVIEW_STACK_DEPTH, &depth);
    CHECK_EQ(depth, 2);
    glPopMatrix();
    glGetFloatv(GL_MODELVIEW_MATRIX, m);
    CHECK(m[0] == 1.0f && m[12] == 5.0f);
    /* Underflow and overflow are errors that change nothing. */
    glPopMatrix();
    CHECK_EQ(glGetError(), GL_STACK_UNDERFLOW);
    glMatrixMode(GL_PROJECTION);
    glPushMatrix(); /* the projection stack holds 2 */
    glPushMatrix();
    CHECK_EQ(glGetError(), GL_STACK_OVERFLOW);
    glGetIntegerv(GL_PROJECTION_STACK_DEPTH, &depth);
    CHECK_EQ(depth, 2);
    emgl_destroy_context(c);
}

/* What Quakespasm asks first: it must see plain OpenGL 1.1. */
TEST(gl_strings_and_limits)
{
    struct emgl_context *c = emgl_create_context(4, 4);
    CHECK(strcmp((const char *)glGetString(GL_VERSION), "1.1") == 0);
    CHECK(strcmp((const char *)glGetString(GL_EXTENSIONS), "") == 0);
    CHECK(glGetString(GL_VENDOR) != NULL);
    CHECK(glGetString(GL_RENDERER) != NULL);
    GLint max = 0, vp[4];
    glGetIntegerv(GL_MAX_TEXTURE_SIZE, &max);
    CHECK(max >= 256); /* the minimum OpenGL 1.1 allows is 64 */
    glViewport(1, 2, 3, 4);
    glGetIntegerv(GL_VIEWPORT, vp);
    CHECK(vp[0] == 1 && vp[1] == 2 && vp[2] == 3 && vp[3] == 4);
    CHECK_EQ(glGetError(), GL_NO_ERROR);
    glGetIntegerv(0x9999, &max);
    CHECK_EQ(glGetError(), GL_INVALID_ENUM);
    glEnable(0x9999);
    CHECK_EQ(glGetError(), GL_INVALID_ENUM);
    glBegin(GL_TRIANGLES);
    glClear(GL_COLOR_BUFFER_BIT); /* not allowed inside Begin/End */
    glEnd();
    CHECK_EQ(glGetError(), GL_INVALID_OPERATION);
    CHECK_EQ(glGetError(), GL_NO_ERROR);
    emgl_destroy_context(c);
}

TEST(gl_context_rejects_bad_sizes)
{
    CHECK(emgl_create_context(0, 10) == NULL);
    CHECK(emgl_create_context(10, EMGL_MAX_SIZE + 1) == NULL);
    struct emgl_context *c = emgl_create_context(3, 2);
    CHECK(c != NULL);
    CHECK_EQ(emgl_width(), 3);
    CHECK_EQ(emgl_height(), 2);
    emgl_destroy_context(c);
    CHECK(emgl_framebuffer() == NULL);
}

/* RGB rows padded to GL_UNPACK_ALIGNMENT, a sub-upload, a read-back. */
TEST(gl_texture_upload_and_subupload)
{
    struct emgl_context *c = emgl_create_context(4, 4);
    GLuint t[2];
    glGenTextures(2, t);
    CHECK(t[0] != 0 && t[1] != 0 && t[0] != t[1]);
    glBindTexture(GL_TEXTURE_2D, t[1]);
    /* 2x2 RGB: 6 bytes a row, padded to 8 by the default alignment 4. */
    const uint8_t rgb[16] = {1, 2, 3, 4,  5,  6,  0xee, 0xee,
                             7, 8, 9, 10, 11, 12, 0xee, 0xee};
    glTexImage2D(GL_TEXTURE_2D, 0, GL_RGB, 2, 2, 0, GL_RGB, GL_UNSIGNED_BYTE,
                 rgb);
    const uint8_t patch[4] = {200, 201, 202, 203};
    glTexSubImage2D(GL_TEXTURE_2D, 0, 1, 1, 1, 1, GL_RGBA, GL_UNSIGNED_BYTE,
                    patch);
    uint8_t back[16];
    glGetTexImage(GL_TEXTURE_2D, 0, GL_RGBA, GL_UNSIGNED_BYTE, back);
    /* An RGB texture reads alpha 1; the patch's alpha is dropped too. */
    const uint8_t want[16] = {1, 2, 3, 255, 4,   5,   6,   255,
                              7, 8, 9, 255, 200, 201, 202, 255};
    CHECK(memcmp(back, want, sizeof want) == 0);
    CHECK_EQ(glGetError(), GL_NO_ERROR);
    /* Bad uploads: not a power of two, a sub-rectangle past the edge. */
    glTexImage2D(GL_TEXTURE_2D, 0, GL_RGB, 3, 2, 0, GL_RGB, GL_UNSIGNED_BYTE,
                 rgb);
    CHECK_EQ(glGetError(), GL_INVALID_VALUE);
    glTexSubImage2D(GL_TEXTURE_2D, 0, 1, 1, 2, 1, GL_RGBA, GL_UNSIGNED_BYTE,
                    patch);
    CHECK_EQ(glGetError(), GL_INVALID_VALUE);
    glDeleteTextures(2, t);
    GLint bound = -1;
    glGetIntegerv(GL_TEXTURE_BINDING_2D, &bound);
    CHECK_EQ(bound, 0);
    emgl_destroy_context(c);
}

/* glCopyTexSubImage2D: window row y goes to texture row t = y. */
TEST(gl_copy_tex_sub_image_orientation)
{
    struct emgl_context *c = gl_test_pixels(4, 4);
    glClear(GL_COLOR_BUFFER_BIT);
    glColor3f(1.0f, 0.0f, 0.0f);
    gl_test_rect(0.0f, 3.0f, 4.0f, 4.0f, 0.0f); /* bottom row: red */
    GLuint t;
    glGenTextures(1, &t);
    glBindTexture(GL_TEXTURE_2D, t);
    glTexImage2D(GL_TEXTURE_2D, 0, GL_RGB, 4, 4, 0, GL_RGB, GL_UNSIGNED_BYTE,
                 NULL);
    glCopyTexSubImage2D(GL_TEXTURE_2D, 0, 0, 0, 0, 0, 4, 4);
    uint8_t back[4 * 4 * 4];
    glGetTexImage(GL_TEXTURE_2D, 0, GL_RGBA, GL_UNSIGNED_BYTE, back);
    CHECK_EQ(back[0], 255);        /* t = 0: the bottom row, red */
    CHECK_EQ(back[3 * 16 + 0], 0); /* t = 3: the top row, black */
    CHECK_EQ(glGetError(), GL_NO_ERROR);
    emgl_destroy_context(c);
}

int main(void)
{
    RUN(gl_matrix_operations);
    RUN(gl_matrix_stack_push_pop);
    RUN(gl_strings_and_limits);
    RUN(gl_context_rejects_bad_sizes);
    RUN(gl_texture_upload_and_subupload);
    RUN(gl_copy_tex_sub_image_orientation);
    return check_summary();
}
