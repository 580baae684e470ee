/*
 * Queries: glGetError, glGetString and the glGet* state the programs ask.
 *
 * The version string is "1.1" and the extension string is empty: a program
 * that probes for extensions (Quakespasm does) then takes its plain OpenGL
 * 1.1 path, which is exactly what this library implements. glGetIntegerv,
 * glGetFloatv and glGetBooleanv share one table-free switch that writes
 * doubles and converts at the end, as OpenGL's state-conversion rules say
 * (section 6.1.2); a name it does not know is GL_INVALID_ENUM and leaves
 * the output alone.
 *
 * Locking: none; one thread draws with a context.
 * Portable: built for Ember (musl) and for Linux host tests.
 * See: docs/gl.md
 */
#include "gl_context.h"

#include <math.h>

/* What glGetString returns (static storage, as OpenGL requires). */
#define GL_QUERY_VENDOR     "Ember"
#define GL_QUERY_RENDERER   "Ember software rasteriser"
#define GL_QUERY_VERSION    "1.1"
#define GL_QUERY_EXTENSIONS ""

/* Bits of the buffers, for GL_*_BITS. */
#define COLOR_BITS   8
#define DEPTH_BITS   32
#define SUBPIX_BITS  4
#define QUERY_MAXVAL 16
/* The integer 0..1 maps to (section 6.1.2): the largest GLint. */
#define INT_SCALE    2147483647.0

GLenum glGetError(void)
{
    struct emgl_context *c = emgl_ctx_outside_begin();
    if (c == NULL)
        return GL_NO_ERROR;
    GLenum err = c->error;
    c->error = GL_NO_ERROR;
    return err;
}

const GLubyte *glGetString(GLenum name)
{
    if (emgl_ctx_outside_begin() == NULL)
        return NULL;
    switch (name) {
    case GL_VENDOR:
        return (const GLubyte *)GL_QUERY_VENDOR;
    case GL_RENDERER:
        return (const GLubyte *)GL_QUERY_RENDERER;
    case GL_VERSION:
        return (const GLubyte *)GL_QUERY_VERSION;
    case GL_EXTENSIONS:
        return (const GLubyte *)GL_QUERY_EXTENSIONS;
    default:
        emgl_set_error(GL_INVALID_ENUM);
        return NULL;
    }
}

static int put_matrix(const struct gl_matrix_stack *s, double *out)
{
    for (int i = 0; i < 16; i++)
        out[i] = s->mats[s->depth - 1].m[i];
    return 16;
}

static int put4(double *out, double a, double b, double c, double d)
{
    out[0] = a;
    out[1] = b;
    out[2] = c;
    out[3] = d;
    return 4;
}

/* Fills out with pname's values; returns their count, 0 if unknown. */
static int get_values(struct emgl_context *c, GLenum pname, double *out)
{
    switch (pname) {
    case GL_MAX_TEXTURE_SIZE:
        out[0] = GL_CTX_MAX_TEXTURE_SIZE;
        return 1;
    case GL_MAX_VIEWPORT_DIMS:
        out[0] = out[1] = EMGL_MAX_SIZE;
        return 2;
    case GL_MAX_MODELVIEW_STACK_DEPTH:
        out[0] = GL_CTX_MODELVIEW_DEPTH;
        return 1;
    case GL_MAX_PROJECTION_STACK_DEPTH:
        out[0] = GL_CTX_PROJECTION_DEPTH;
        return 1;
    case GL_MAX_TEXTURE_STACK_DEPTH:
        out[0] = GL_CTX_TEXTURE_DEPTH;
        return 1;
    case GL_SUBPIXEL_BITS:
        out[0] = SUBPIX_BITS;
        return 1;
    case GL_RED_BITS:
    case GL_GREEN_BITS:
    case GL_BLUE_BITS:
        out[0] = COLOR_BITS;
        return 1;
    case GL_ALPHA_BITS:
    case GL_STENCIL_BITS:
        out[0] = 0;
        return 1;
    case GL_DEPTH_BITS:
        out[0] = DEPTH_BITS;
        return 1;
    case GL_VIEWPORT:
        return put4(out, c->vp_x, c->vp_y, c->vp_w, c->vp_h);
    case GL_SCISSOR_BOX:
        return put4(out, c->sc_x, c->sc_y, c->sc_w, c->sc_h);
    case GL_DEPTH_RANGE:
        out[0] = c->depth_near;
        out[1] = c->depth_far;
        return 2;
    case GL_MODELVIEW_MATRIX:
        return put_matrix(&c->modelview, out);
    case GL_PROJECTION_MATRIX:
        return put_matrix(&c->projection, out);
    case GL_TEXTURE_MATRIX:
        return put_matrix(&c->texture, out);
    case GL_MODELVIEW_STACK_DEPTH:
        out[0] = c->modelview.depth;
        return 1;
    case GL_PROJECTION_STACK_DEPTH:
        out[0] = c->projection.depth;
        return 1;
    case GL_TEXTURE_STACK_DEPTH:
        out[0] = c->texture.depth;
        return 1;
    case GL_MATRIX_MODE:
        out[0] = c->matrix_mode;
        return 1;
    case GL_TEXTURE_BINDING_2D:
        out[0] = c->bound_tex;
        return 1;
    case GL_DEPTH_FUNC:
        out[0] = c->depth_func;
        return 1;
    case GL_DEPTH_WRITEMASK:
        out[0] = c->depth_mask;
        return 1;
    case GL_BLEND_SRC:
        out[0] = c->blend_src;
        return 1;
    case GL_BLEND_DST:
        out[0] = c->blend_dst;
        return 1;
    case GL_ALPHA_TEST_FUNC:
        out[0] = c->alpha_func;
        return 1;
    case GL_ALPHA_TEST_REF:
        out[0] = c->alpha_ref;
        return 1;
    case GL_CULL_FACE_MODE:
        out[0] = c->cull_face;
        return 1;
    case GL_FRONT_FACE:
        out[0] = c->front_face;
        return 1;
    case GL_SHADE_MODEL:
        out[0] = c->shade_model;
        return 1;
    case GL_PERSPECTIVE_CORRECTION_HINT:
        out[0] = c->perspective_hint;
        return 1;
    case GL_PACK_ALIGNMENT:
        out[0] = c->pack_alignment;
        return 1;
    case GL_UNPACK_ALIGNMENT:
        out[0] = c->unpack_alignment;
        return 1;
    case GL_COLOR_CLEAR_VALUE:
        return put4(out, c->clear_color[0], c->clear_color[1],
                    c->clear_color[2], c->clear_color[3]);
    case GL_DEPTH_CLEAR_VALUE:
        out[0] = c->clear_depth;
        return 1;
    case GL_COLOR_WRITEMASK:
        return put4(out, c->color_mask[0], c->color_mask[1], c->color_mask[2],
                    c->color_mask[3]);
    case GL_POLYGON_OFFSET_FACTOR:
        out[0] = c->offset_factor;
        return 1;
    case GL_POLYGON_OFFSET_UNITS:
        out[0] = c->offset_units;
        return 1;
    default:
        return 0;
    }
}

/* get_values() on the current context, recording unknown names. */
static int query(GLenum pname, double *v)
{
    struct emgl_context *c = emgl_ctx_outside_begin();
    if (c == NULL)
        return 0;
    int n = get_values(c, pname, v);
    if (n == 0)
        emgl_set_error(GL_INVALID_ENUM);
    return n;
}

void glGetFloatv(GLenum pname, GLfloat *params)
{
    double v[QUERY_MAXVAL];
    int n = query(pname, v);
    for (int i = 0; i < n; i++)
        params[i] = (GLfloat)v[i];
}

/*
 * Integers: colours, depth values and clear values map 0..1 to the full
 * integer range (section 6.1.2); everything else rounds.
 */
void glGetIntegerv(GLenum pname, GLint *params)
{
    double v[QUERY_MAXVAL];
    int n = query(pname, v);
    bool scaled = pname == GL_COLOR_CLEAR_VALUE || pname == GL_DEPTH_RANGE ||
                  pname == GL_DEPTH_CLEAR_VALUE || pname == GL_ALPHA_TEST_REF;
    for (int i = 0; i < n; i++) {
        double x = scaled ? v[i] * INT_SCALE : v[i];
        params[i] = (GLint)lround(x);
    }
}

void glGetBooleanv(GLenum pname, GLboolean *params)
{
    double v[QUERY_MAXVAL];
    int n = query(pname, v);
    for (int i = 0; i < n; i++)
        params[i] = v[i] != 0.0 ? GL_TRUE : GL_FALSE;
}
