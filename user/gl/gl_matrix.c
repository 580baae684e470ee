/*
 * The matrix stacks: glMatrixMode, Load/Mult/Push/Pop, and the calls that
 * build a matrix (Rotate, Scale, Translate, Frustum, Ortho).
 *
 * Matrices are column-major, as OpenGL stores them: element (row r, column
 * c) is m[c * 4 + r], so glLoadMatrixf() copies and glGetFloatv() returns
 * them unchanged. Every building call makes its matrix by the formula of
 * the OpenGL 1.1 specification (section 2.10.2) and multiplies it onto the
 * top of the current stack from the right, so the last call made is the
 * first transform a vertex meets. Arithmetic is in float, as a vertex's is;
 * only Frustum and Ortho take doubles, by their signatures.
 *
 * Locking: none; one thread draws with a context.
 * Portable: built for Ember (musl) and for Linux host tests.
 * See: docs/gl.md
 */
#include "gl_matrix.h"

#include <math.h>
#include <string.h>

void gl_matrix_identity(struct gl_matrix *m)
{
    memset(m->m, 0, sizeof m->m);
    m->m[0] = m->m[5] = m->m[10] = m->m[15] = 1.0f;
}

void gl_matrix_mul(struct gl_matrix *out, const struct gl_matrix *a,
                   const struct gl_matrix *b)
{
    for (int col = 0; col < 4; col++) {
        for (int row = 0; row < 4; row++) {
            float sum = 0.0f;
            for (int k = 0; k < 4; k++)
                sum += a->m[k * 4 + row] * b->m[col * 4 + k];
            out->m[col * 4 + row] = sum;
        }
    }
}

void gl_matrix_apply(const struct gl_matrix *m, const float in[4], float out[4])
{
    for (int row = 0; row < 4; row++)
        out[row] = m->m[row] * in[0] + m->m[4 + row] * in[1] +
                   m->m[8 + row] * in[2] + m->m[12 + row] * in[3];
}

static struct gl_matrix_stack *cur_stack(struct emgl_context *c)
{
    switch (c->matrix_mode) {
    case GL_PROJECTION:
        return &c->projection;
    case GL_TEXTURE:
        return &c->texture;
    default:
        return &c->modelview;
    }
}

struct gl_matrix *gl_matrix_top(struct emgl_context *c)
{
    struct gl_matrix_stack *s = cur_stack(c);
    return &s->mats[s->depth - 1];
}

/* top = top * m: the new transform applies to vertices first. */
static void mult_top(const struct gl_matrix *m)
{
    struct emgl_context *c = emgl_ctx_outside_begin();
    if (c == NULL)
        return;
    c->mvp_valid = false;
    struct gl_matrix *top = gl_matrix_top(c);
    struct gl_matrix prod;
    gl_matrix_mul(&prod, top, m);
    *top = prod;
}

void glMatrixMode(GLenum mode)
{
    struct emgl_context *c = emgl_ctx_outside_begin();
    if (c == NULL)
        return;
    if (mode != GL_MODELVIEW && mode != GL_PROJECTION && mode != GL_TEXTURE) {
        emgl_set_error(GL_INVALID_ENUM);
        return;
    }
    c->matrix_mode = mode;
}

void glLoadIdentity(void)
{
    struct emgl_context *c = emgl_ctx_outside_begin();
    if (c == NULL)
        return;
    c->mvp_valid = false;
    gl_matrix_identity(gl_matrix_top(c));
}

void glLoadMatrixf(const GLfloat *m)
{
    struct emgl_context *c = emgl_ctx_outside_begin();
    if (c == NULL)
        return;
    c->mvp_valid = false;
    memcpy(gl_matrix_top(c)->m, m, sizeof(struct gl_matrix));
}

void glMultMatrixf(const GLfloat *m)
{
    struct gl_matrix mat;
    memcpy(mat.m, m, sizeof mat.m);
    mult_top(&mat);
}

void glPushMatrix(void)
{
    struct emgl_context *c = emgl_ctx_outside_begin();
    if (c == NULL)
        return;
    struct gl_matrix_stack *s = cur_stack(c);
    if (s->depth == s->max) {
        emgl_set_error(GL_STACK_OVERFLOW);
        return;
    }
    s->mats[s->depth] = s->mats[s->depth - 1];
    s->depth++;
}

void glPopMatrix(void)
{
    struct emgl_context *c = emgl_ctx_outside_begin();
    if (c == NULL)
        return;
    struct gl_matrix_stack *s = cur_stack(c);
    if (s->depth == 1) {
        emgl_set_error(GL_STACK_UNDERFLOW);
        return;
    }
    s->depth--;
    c->mvp_valid = false;
}

void glRotatef(GLfloat angle, GLfloat x, GLfloat y, GLfloat z)
{
    float len = sqrtf(x * x + y * y + z * z);
    if (len == 0.0f)
        return; /* no axis: OpenGL leaves the result undefined; do nothing */
    x /= len;
    y /= len;
    z /= len;
    float rad = angle * (float)(M_PI / 180.0);
    float s = sinf(rad), co = cosf(rad), ic = 1.0f - co;
    struct gl_matrix r;
    gl_matrix_identity(&r);
    r.m[0] = x * x * ic + co;
    r.m[1] = y * x * ic + z * s;
    r.m[2] = x * z * ic - y * s;
    r.m[4] = x * y * ic - z * s;
    r.m[5] = y * y * ic + co;
    r.m[6] = y * z * ic + x * s;
    r.m[8] = x * z * ic + y * s;
    r.m[9] = y * z * ic - x * s;
    r.m[10] = z * z * ic + co;
    mult_top(&r);
}

void glScalef(GLfloat x, GLfloat y, GLfloat z)
{
    struct gl_matrix m;
    gl_matrix_identity(&m);
    m.m[0] = x;
    m.m[5] = y;
    m.m[10] = z;
    mult_top(&m);
}

void glTranslatef(GLfloat x, GLfloat y, GLfloat z)
{
    struct gl_matrix m;
    gl_matrix_identity(&m);
    m.m[12] = x;
    m.m[13] = y;
    m.m[14] = z;
    mult_top(&m);
}

void glFrustum(GLdouble left, GLdouble right, GLdouble bottom, GLdouble top,
               GLdouble near_val, GLdouble far_val)
{
    if (near_val <= 0.0 || far_val <= 0.0 || left == right || bottom == top ||
        near_val == far_val) {
        emgl_set_error(GL_INVALID_VALUE);
        return;
    }
    struct gl_matrix m;
    memset(m.m, 0, sizeof m.m);
    m.m[0] = (float)(2.0 * near_val / (right - left));
    m.m[5] = (float)(2.0 * near_val / (top - bottom));
    m.m[8] = (float)((right + left) / (right - left));
    m.m[9] = (float)((top + bottom) / (top - bottom));
    m.m[10] = (float)(-(far_val + near_val) / (far_val - near_val));
    m.m[11] = -1.0f;
    m.m[14] = (float)(-2.0 * far_val * near_val / (far_val - near_val));
    mult_top(&m);
}

void glOrtho(GLdouble left, GLdouble right, GLdouble bottom, GLdouble top,
             GLdouble near_val, GLdouble far_val)
{
    if (left == right || bottom == top || near_val == far_val) {
        emgl_set_error(GL_INVALID_VALUE);
        return;
    }
    struct gl_matrix m;
    gl_matrix_identity(&m);
    m.m[0] = (float)(2.0 / (right - left));
    m.m[5] = (float)(2.0 / (top - bottom));
    m.m[10] = (float)(-2.0 / (far_val - near_val));
    m.m[12] = (float)(-(right + left) / (right - left));
    m.m[13] = (float)(-(top + bottom) / (top - bottom));
    m.m[14] = (float)(-(far_val + near_val) / (far_val - near_val));
    mult_top(&m);
}
