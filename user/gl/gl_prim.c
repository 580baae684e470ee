/*
 * Primitives: glBegin/glEnd, the vertex attribute calls, and the vertex
 * stage (transform, fog factor, flat shading, assembly into polygons).
 *
 * Vertices are only collected between glBegin and glEnd, with the colour
 * and texture coordinate current at each glVertex. glEnd transforms them
 * all (modelview, then projection; texture coordinates through the texture
 * matrix), computes a fog factor per vertex from the eye-space depth when
 * GL_FOG is on, then cuts the list into convex polygons as the mode says:
 * QUADS, QUAD_STRIP and POLYGON go to the clipper whole; TRIANGLES,
 * TRIANGLE_STRIP and TRIANGLE_FAN as triangles, keeping each strip
 * triangle's winding. Per-vertex work is in float; the per-pixel work
 * that follows is fixed point (gl_span.c).
 *
 * Not drawn: GL_POINTS, GL_LINES, GL_LINE_STRIP and GL_LINE_LOOP are
 * accepted and dropped, and so is glDrawElements (this GL has no vertex
 * arrays; Quakespasm calls it only on its shader path, which needs
 * extensions this GL does not report).
 *
 * Locking: none; one thread draws with a context.
 * Portable: built for Ember (musl) and for Linux host tests.
 * See: docs/gl.md
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "gl_context.h"
#include "gl_matrix.h"
#include "gl_raster.h"

/* 0..1 colour and fog values become 0..255 for the fixed-point stage. */
#define UNIT_TO_BYTE  255.0f
/* The vertex list starts with this many entries and doubles. */
#define VERTS_INITIAL 64

void glBegin(GLenum mode)
{
    struct emgl_context *c = emgl_ctx_outside_begin();
    if (c == NULL)
        return;
    if (mode > GL_POLYGON) {
        emgl_set_error(GL_INVALID_ENUM);
        return;
    }
    c->in_begin = true;
    c->prim = mode;
    c->nverts = 0;
}

static float clamp01(float v)
{
    return v < 0.0f ? 0.0f : v > 1.0f ? 1.0f : v;
}

static void vertex4(float x, float y, float z, float w)
{
    struct emgl_context *c = emgl_ctx;
    if (c == NULL || !c->in_begin)
        return; /* outside Begin/End a vertex has no meaning */
    if (c->nverts == c->verts_cap) {
        int cap = c->verts_cap ? c->verts_cap * 2 : VERTS_INITIAL;
        struct gl_vertex *v = realloc(c->verts, (size_t)cap * sizeof *v);
        if (v == NULL) {
            emgl_set_error(GL_OUT_OF_MEMORY);
            return;
        }
        c->verts = v;
        c->verts_cap = cap;
    }
    struct gl_vertex *v = &c->verts[c->nverts++];
    v->obj[0] = x;
    v->obj[1] = y;
    v->obj[2] = z;
    v->obj[3] = w;
    memcpy(v->color, c->cur_color, sizeof v->color);
    memcpy(v->tex, c->cur_tex, sizeof v->tex);
}

void glVertex2f(GLfloat x, GLfloat y)
{
    vertex4(x, y, 0.0f, 1.0f);
}

void glVertex2i(GLint x, GLint y)
{
    vertex4((float)x, (float)y, 0.0f, 1.0f);
}

void glVertex2fv(const GLfloat *v)
{
    vertex4(v[0], v[1], 0.0f, 1.0f);
}

void glVertex3f(GLfloat x, GLfloat y, GLfloat z)
{
    vertex4(x, y, z, 1.0f);
}

void glVertex3fv(const GLfloat *v)
{
    vertex4(v[0], v[1], v[2], 1.0f);
}

void glVertex4f(GLfloat x, GLfloat y, GLfloat z, GLfloat w)
{
    vertex4(x, y, z, w);
}

void glTexCoord2f(GLfloat s, GLfloat t)
{
    if (emgl_ctx == NULL)
        return;
    emgl_ctx->cur_tex[0] = s;
    emgl_ctx->cur_tex[1] = t;
}

void glTexCoord2fv(const GLfloat *v)
{
    glTexCoord2f(v[0], v[1]);
}

/* Colours are clamped to 0..1 when set (OpenGL 1.1 section 2.13.9). */
void glColor4f(GLfloat r, GLfloat g, GLfloat b, GLfloat a)
{
    if (emgl_ctx == NULL)
        return;
    emgl_ctx->cur_color[0] = clamp01(r);
    emgl_ctx->cur_color[1] = clamp01(g);
    emgl_ctx->cur_color[2] = clamp01(b);
    emgl_ctx->cur_color[3] = clamp01(a);
}

void glColor4fv(const GLfloat *v)
{
    glColor4f(v[0], v[1], v[2], v[3]);
}

void glColor3f(GLfloat r, GLfloat g, GLfloat b)
{
    glColor4f(r, g, b, 1.0f);
}

void glColor3fv(const GLfloat *v)
{
    glColor4f(v[0], v[1], v[2], 1.0f);
}

void glColor4ub(GLubyte r, GLubyte g, GLubyte b, GLubyte a)
{
    glColor4f(r / UNIT_TO_BYTE, g / UNIT_TO_BYTE, b / UNIT_TO_BYTE,
              a / UNIT_TO_BYTE);
}

void glColor4ubv(const GLubyte *v)
{
    glColor4ub(v[0], v[1], v[2], v[3]);
}

void glColor3ub(GLubyte r, GLubyte g, GLubyte b)
{
    glColor4ub(r, g, b, (GLubyte)UNIT_TO_BYTE);
}

void glColor3ubv(const GLubyte *v)
{
    glColor3ub(v[0], v[1], v[2]);
}

void glDrawElements(GLenum mode, GLsizei count, GLenum type,
                    const GLvoid *indices)
{
    (void)mode;
    (void)count;
    (void)type;
    (void)indices;
    emgl_set_error(GL_INVALID_OPERATION); /* no vertex arrays: see above */
}

/* The fog factor at eye-space distance dist (section 3.9), 0..1. */
static float fog_factor(const struct emgl_context *c, float dist)
{
    float f;
    switch (c->fog_mode) {
    case GL_LINEAR:
        f = c->fog_end == c->fog_start
                ? 1.0f
                : (c->fog_end - dist) / (c->fog_end - c->fog_start);
        break;
    case GL_EXP2: {
        float e = c->fog_density * dist;
        f = expf(-e * e);
        break;
    }
    default:
        f = expf(-c->fog_density * dist);
        break;
    }
    return clamp01(f);
}

/* Recomputes the cached product of the matrices if one changed. */
static void update_mvp(struct emgl_context *c)
{
    if (c->mvp_valid)
        return;
    const struct gl_matrix *mv = &c->modelview.mats[c->modelview.depth - 1];
    const struct gl_matrix *pr = &c->projection.mats[c->projection.depth - 1];
    const struct gl_matrix *tx = &c->texture.mats[c->texture.depth - 1];
    gl_matrix_mul(&c->mvp, pr, mv);
    struct gl_matrix id;
    gl_matrix_identity(&id);
    c->tex_identity = memcmp(tx->m, id.m, sizeof id.m) == 0;
    c->mvp_valid = true;
}

/*
 * Object coordinates to clip space, with every attribute. One matrix
 * (projection * modelview, cached) per vertex; the eye-space position is
 * computed only when fog needs its depth, and the texture matrix only
 * when it is not the identity.
 */
static void transform(const struct emgl_context *c, const struct gl_vertex *v,
                      struct gl_clipvert *out)
{
    gl_matrix_apply(&c->mvp, v->obj, out->pos);
    out->attr[GL_ATTR_S] = v->tex[0];
    out->attr[GL_ATTR_T] = v->tex[1];
    if (!c->tex_identity) {
        const struct gl_matrix *tx = &c->texture.mats[c->texture.depth - 1];
        float st[4] = {v->tex[0], v->tex[1], 0.0f, 1.0f}, st_out[4];
        gl_matrix_apply(tx, st, st_out);
        float q = st_out[3] != 0.0f ? st_out[3] : 1.0f;
        out->attr[GL_ATTR_S] = st_out[0] / q;
        out->attr[GL_ATTR_T] = st_out[1] / q;
    }
    out->attr[GL_ATTR_R] = v->color[0] * UNIT_TO_BYTE;
    out->attr[GL_ATTR_G] = v->color[1] * UNIT_TO_BYTE;
    out->attr[GL_ATTR_B] = v->color[2] * UNIT_TO_BYTE;
    out->attr[GL_ATTR_A] = v->color[3] * UNIT_TO_BYTE;
    out->attr[GL_ATTR_FOG] = UNIT_TO_BYTE;
    if (c->fog) {
        const struct gl_matrix *mv = &c->modelview.mats[c->modelview.depth - 1];
        float eye[4];
        gl_matrix_apply(mv, v->obj, eye);
        /* OpenGL lets the distance be |z_eye| (section 3.9). */
        out->attr[GL_ATTR_FOG] = fog_factor(c, fabsf(eye[2])) * UNIT_TO_BYTE;
    }
}

/* Clips and draws the polygon of the listed vertices. */
static void emit(struct emgl_context *c, const struct gl_clipvert *cv,
                 const int *idx, int n, int provoking)
{
    struct gl_clipvert poly[GL_CLIP_MAX_IN];
    for (int i = 0; i < n; i++) {
        poly[i] = cv[idx[i]];
        if (c->shade_model == GL_FLAT)
            memcpy(&poly[i].attr[GL_ATTR_R], &cv[provoking].attr[GL_ATTR_R],
                   4 * sizeof(float));
    }
    gl_clip_polygon(c, poly, n);
}

static void emit_tri(struct emgl_context *c, const struct gl_clipvert *cv,
                     int a, int b, int d, int provoking)
{
    int idx[3] = {a, b, d};
    emit(c, cv, idx, 3, provoking);
}

/* A polygon of n > GL_CLIP_MAX_IN vertices is drawn as its fan. */
static void emit_polygon(struct emgl_context *c, const struct gl_clipvert *cv,
                         int first, int n, int provoking)
{
    int idx[GL_CLIP_MAX_IN];
    if (n <= GL_CLIP_MAX_IN) {
        for (int i = 0; i < n; i++)
            idx[i] = first + i;
        emit(c, cv, idx, n, provoking);
        return;
    }
    for (int i = 2; i < n; i++)
        emit_tri(c, cv, first, first + i - 1, first + i, provoking);
}

/* Cuts the transformed vertex list into polygons as the mode says. */
static void assemble(struct emgl_context *c, const struct gl_clipvert *cv,
                     int n)
{
    switch (c->prim) {
    case GL_TRIANGLES:
        for (int i = 0; i + 2 < n; i += 3)
            emit_tri(c, cv, i, i + 1, i + 2, i + 2);
        break;
    case GL_TRIANGLE_STRIP:
        /* Odd triangles swap their first two vertices to keep winding. */
        for (int i = 2; i < n; i++) {
            if (i % 2 == 0)
                emit_tri(c, cv, i - 2, i - 1, i, i);
            else
                emit_tri(c, cv, i - 1, i - 2, i, i);
        }
        break;
    case GL_TRIANGLE_FAN:
        for (int i = 2; i < n; i++)
            emit_tri(c, cv, 0, i - 1, i, i);
        break;
    case GL_QUADS:
        for (int i = 0; i + 3 < n; i += 4)
            emit_polygon(c, cv, i, 4, i + 3);
        break;
    case GL_QUAD_STRIP:
        for (int i = 0; i + 3 < n; i += 2) {
            int idx[4] = {i, i + 1, i + 3, i + 2};
            emit(c, cv, idx, 4, i + 3);
        }
        break;
    case GL_POLYGON:
        if (n >= 3)
            emit_polygon(c, cv, 0, n, 0);
        break;
    default:
        break; /* points and lines: not drawn (see the top of the file) */
    }
}

void glEnd(void)
{
    struct emgl_context *c = emgl_ctx;
    if (c == NULL)
        return;
    if (!c->in_begin) {
        emgl_set_error(GL_INVALID_OPERATION);
        return;
    }
    c->in_begin = false;
    int n = c->nverts;
    if (n < 3)
        return;
    if (c->cverts_cap < c->verts_cap) {
        struct gl_clipvert *cv =
            realloc(c->cverts, (size_t)c->verts_cap * sizeof *cv);
        if (cv == NULL) {
            emgl_set_error(GL_OUT_OF_MEMORY);
            return;
        }
        c->cverts = cv;
        c->cverts_cap = c->verts_cap;
    }
    uint64_t t0 = gl_now();
    update_mvp(c);
    for (int i = 0; i < n; i++)
        transform(c, &c->verts[i], &c->cverts[i]);
    c->stats.primitives++;
    assemble(c, c->cverts, n);
    c->stats.prim_ticks += gl_now() - t0;
}
