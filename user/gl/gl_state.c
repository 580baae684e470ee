/*
 * The state-setting calls: capabilities (glEnable), the per-fragment tests,
 * blending, culling, viewport, fog, hints and pixel storage.
 *
 * Each call checks its enums as OpenGL 1.1 specifies, records
 * GL_INVALID_ENUM or GL_INVALID_VALUE for bad ones (and then changes
 * nothing), and stores the value in the context; the rasteriser reads the
 * context when a primitive ends. Work that would otherwise be done per
 * fragment is done here once: glAlphaFunc fills a 256-entry table so that
 * the span loop tests alpha by one lookup, with the comparison made in
 * float exactly as the specification states it.
 *
 * Stubs, recorded but without effect: the stencil test (there is no
 * stencil buffer; GL_STENCIL_BITS is 0), glHint.
 *
 * Locking: none; one thread draws with a context.
 * Portable: built for Ember (musl) and for Linux host tests.
 * See: docs/gl.md
 */
#include "gl_context.h"

/* The flag behind a capability, or NULL if this GL does not know it. */
static bool *cap_flag(struct emgl_context *c, GLenum cap)
{
    switch (cap) {
    case GL_TEXTURE_2D:
        return &c->texture_2d;
    case GL_DEPTH_TEST:
        return &c->depth_test;
    case GL_BLEND:
        return &c->blend;
    case GL_ALPHA_TEST:
        return &c->alpha_test;
    case GL_CULL_FACE:
        return &c->cull;
    case GL_SCISSOR_TEST:
        return &c->scissor_test;
    case GL_FOG:
        return &c->fog;
    case GL_STENCIL_TEST:
        return &c->stencil_test;
    case GL_POLYGON_OFFSET_FILL:
        return &c->offset_fill;
    default:
        return NULL;
    }
}

/*
 * Capabilities OpenGL 1.1 defines that this GL accepts and ignores: they
 * change nothing it draws (dithering, lighting is never enabled by the
 * programs it serves, line and point state).
 */
static bool cap_ignored(GLenum cap)
{
    switch (cap) {
    case GL_DITHER:
    case GL_LIGHTING:
    case GL_NORMALIZE:
    case GL_COLOR_MATERIAL:
    case GL_POINT_SMOOTH:
    case GL_LINE_SMOOTH:
    case GL_POLYGON_SMOOTH:
    case GL_POLYGON_OFFSET_LINE:
    case GL_POLYGON_OFFSET_POINT:
    case GL_TEXTURE_1D:
    case GL_VERTEX_ARRAY:
    case GL_COLOR_ARRAY:
    case GL_TEXTURE_COORD_ARRAY:
        return true;
    default:
        return false;
    }
}

static void set_cap(GLenum cap, bool on)
{
    struct emgl_context *c = emgl_ctx_outside_begin();
    if (c == NULL)
        return;
    bool *flag = cap_flag(c, cap);
    if (flag != NULL)
        *flag = on;
    else if (!cap_ignored(cap))
        emgl_set_error(GL_INVALID_ENUM);
}

void glEnable(GLenum cap)
{
    set_cap(cap, true);
}

void glDisable(GLenum cap)
{
    set_cap(cap, false);
}

GLboolean glIsEnabled(GLenum cap)
{
    struct emgl_context *c = emgl_ctx_outside_begin();
    if (c == NULL)
        return GL_FALSE;
    bool *flag = cap_flag(c, cap);
    if (flag == NULL) {
        if (!cap_ignored(cap))
            emgl_set_error(GL_INVALID_ENUM);
        return GL_FALSE;
    }
    return *flag ? GL_TRUE : GL_FALSE;
}

static bool valid_func(GLenum func)
{
    return func >= GL_NEVER && func <= GL_ALWAYS;
}

/* Does `a OP b` hold for the comparison function func? */
static bool compare(GLenum func, float a, float b)
{
    switch (func) {
    case GL_NEVER:
        return false;
    case GL_LESS:
        return a < b;
    case GL_EQUAL:
        return a == b;
    case GL_LEQUAL:
        return a <= b;
    case GL_GREATER:
        return a > b;
    case GL_NOTEQUAL:
        return a != b;
    case GL_GEQUAL:
        return a >= b;
    default:
        return true;
    }
}

void glAlphaFunc(GLenum func, GLclampf ref)
{
    struct emgl_context *c = emgl_ctx_outside_begin();
    if (c == NULL)
        return;
    if (!valid_func(func)) {
        emgl_set_error(GL_INVALID_ENUM);
        return;
    }
    c->alpha_func = func;
    c->alpha_ref = ref < 0.0f ? 0.0f : ref > 1.0f ? 1.0f : ref;
    /* A fragment's alpha is one of 256 values k/255: test each once. */
    for (int a = 0; a < 256; a++)
        c->alpha_pass[a] = compare(func, (float)a / 255.0f, c->alpha_ref);
}

static bool valid_blend(GLenum f, bool src)
{
    switch (f) {
    case GL_ZERO:
    case GL_ONE:
    case GL_SRC_ALPHA:
    case GL_ONE_MINUS_SRC_ALPHA:
    case GL_DST_ALPHA:
    case GL_ONE_MINUS_DST_ALPHA:
        return true;
    case GL_DST_COLOR:
    case GL_ONE_MINUS_DST_COLOR:
    case GL_SRC_ALPHA_SATURATE:
        return src;
    case GL_SRC_COLOR:
    case GL_ONE_MINUS_SRC_COLOR:
        return !src;
    default:
        return false;
    }
}

void glBlendFunc(GLenum sfactor, GLenum dfactor)
{
    struct emgl_context *c = emgl_ctx_outside_begin();
    if (c == NULL)
        return;
    if (!valid_blend(sfactor, true) || !valid_blend(dfactor, false)) {
        emgl_set_error(GL_INVALID_ENUM);
        return;
    }
    c->blend_src = sfactor;
    c->blend_dst = dfactor;
}

void glDepthFunc(GLenum func)
{
    struct emgl_context *c = emgl_ctx_outside_begin();
    if (c == NULL)
        return;
    if (!valid_func(func)) {
        emgl_set_error(GL_INVALID_ENUM);
        return;
    }
    c->depth_func = func;
}

void glDepthMask(GLboolean flag)
{
    struct emgl_context *c = emgl_ctx_outside_begin();
    if (c != NULL)
        c->depth_mask = flag != GL_FALSE;
}

void glColorMask(GLboolean red, GLboolean green, GLboolean blue,
                 GLboolean alpha)
{
    struct emgl_context *c = emgl_ctx_outside_begin();
    if (c == NULL)
        return;
    c->color_mask[0] = red != GL_FALSE;
    c->color_mask[1] = green != GL_FALSE;
    c->color_mask[2] = blue != GL_FALSE;
    c->color_mask[3] = alpha != GL_FALSE;
}

void glScissor(GLint x, GLint y, GLsizei width, GLsizei height)
{
    struct emgl_context *c = emgl_ctx_outside_begin();
    if (c == NULL)
        return;
    if (width < 0 || height < 0) {
        emgl_set_error(GL_INVALID_VALUE);
        return;
    }
    c->sc_x = x;
    c->sc_y = y;
    c->sc_w = width;
    c->sc_h = height;
}

void glViewport(GLint x, GLint y, GLsizei width, GLsizei height)
{
    struct emgl_context *c = emgl_ctx_outside_begin();
    if (c == NULL)
        return;
    if (width < 0 || height < 0) {
        emgl_set_error(GL_INVALID_VALUE);
        return;
    }
    /* Clamped to GL_MAX_VIEWPORT_DIMS, as OpenGL 1.1 section 2.10.1 says. */
    c->vp_x = x;
    c->vp_y = y;
    c->vp_w = width > EMGL_MAX_SIZE ? EMGL_MAX_SIZE : width;
    c->vp_h = height > EMGL_MAX_SIZE ? EMGL_MAX_SIZE : height;
}

static float clamp01(double v)
{
    return v < 0.0 ? 0.0f : v > 1.0 ? 1.0f : (float)v;
}

void glDepthRange(GLclampd near_val, GLclampd far_val)
{
    struct emgl_context *c = emgl_ctx_outside_begin();
    if (c == NULL)
        return;
    c->depth_near = clamp01(near_val);
    c->depth_far = clamp01(far_val);
}

void glCullFace(GLenum mode)
{
    struct emgl_context *c = emgl_ctx_outside_begin();
    if (c == NULL)
        return;
    if (mode != GL_FRONT && mode != GL_BACK && mode != GL_FRONT_AND_BACK) {
        emgl_set_error(GL_INVALID_ENUM);
        return;
    }
    c->cull_face = mode;
}

void glFrontFace(GLenum mode)
{
    struct emgl_context *c = emgl_ctx_outside_begin();
    if (c == NULL)
        return;
    if (mode != GL_CW && mode != GL_CCW) {
        emgl_set_error(GL_INVALID_ENUM);
        return;
    }
    c->front_face = mode;
}

void glPolygonMode(GLenum face, GLenum mode)
{
    struct emgl_context *c = emgl_ctx_outside_begin();
    if (c == NULL)
        return;
    if ((face != GL_FRONT && face != GL_BACK && face != GL_FRONT_AND_BACK) ||
        (mode != GL_POINT && mode != GL_LINE && mode != GL_FILL)) {
        emgl_set_error(GL_INVALID_ENUM);
        return;
    }
    if (face != GL_BACK)
        c->polygon_mode[0] = mode;
    if (face != GL_FRONT)
        c->polygon_mode[1] = mode;
}

void glPolygonOffset(GLfloat factor, GLfloat units)
{
    struct emgl_context *c = emgl_ctx_outside_begin();
    if (c == NULL)
        return;
    c->offset_factor = factor;
    c->offset_units = units;
}

void glShadeModel(GLenum mode)
{
    struct emgl_context *c = emgl_ctx_outside_begin();
    if (c == NULL)
        return;
    if (mode != GL_FLAT && mode != GL_SMOOTH) {
        emgl_set_error(GL_INVALID_ENUM);
        return;
    }
    c->shade_model = mode;
}

void glHint(GLenum target, GLenum mode)
{
    struct emgl_context *c = emgl_ctx_outside_begin();
    if (c == NULL)
        return;
    if (mode != GL_FASTEST && mode != GL_NICEST && mode != GL_DONT_CARE) {
        emgl_set_error(GL_INVALID_ENUM);
        return;
    }
    /* Texturing is always perspective-correct; the hint is only reported. */
    if (target == GL_PERSPECTIVE_CORRECTION_HINT)
        c->perspective_hint = mode;
}

void glStencilFunc(GLenum func, GLint ref, GLuint mask)
{
    struct emgl_context *c = emgl_ctx_outside_begin();
    if (c == NULL)
        return;
    if (!valid_func(func)) {
        emgl_set_error(GL_INVALID_ENUM);
        return;
    }
    c->stencil_func = func;
    c->stencil_ref = ref;
    c->stencil_mask = mask;
}

void glStencilOp(GLenum fail, GLenum zfail, GLenum zpass)
{
    struct emgl_context *c = emgl_ctx_outside_begin();
    if (c == NULL)
        return;
    c->stencil_op[0] = fail;
    c->stencil_op[1] = zfail;
    c->stencil_op[2] = zpass;
}

void glClearStencil(GLint s)
{
    struct emgl_context *c = emgl_ctx_outside_begin();
    if (c != NULL)
        c->clear_stencil = s;
}

void glFogfv(GLenum pname, const GLfloat *params)
{
    struct emgl_context *c = emgl_ctx_outside_begin();
    if (c == NULL)
        return;
    switch (pname) {
    case GL_FOG_MODE: {
        GLenum mode = (GLenum)params[0];
        if (mode != GL_LINEAR && mode != GL_EXP && mode != GL_EXP2) {
            emgl_set_error(GL_INVALID_ENUM);
            return;
        }
        c->fog_mode = mode;
        break;
    }
    case GL_FOG_DENSITY:
        if (params[0] < 0.0f) {
            emgl_set_error(GL_INVALID_VALUE);
            return;
        }
        c->fog_density = params[0];
        break;
    case GL_FOG_START:
        c->fog_start = params[0];
        break;
    case GL_FOG_END:
        c->fog_end = params[0];
        break;
    case GL_FOG_COLOR:
        for (int i = 0; i < 4; i++)
            c->fog_color[i] = clamp01(params[i]);
        break;
    default:
        emgl_set_error(GL_INVALID_ENUM);
        break;
    }
}

void glFogf(GLenum pname, GLfloat param)
{
    if (pname == GL_FOG_COLOR) {
        emgl_set_error(GL_INVALID_ENUM);
        return;
    }
    glFogfv(pname, &param);
}

void glFogi(GLenum pname, GLint param)
{
    glFogf(pname, (GLfloat)param);
}

void glClearColor(GLclampf red, GLclampf green, GLclampf blue, GLclampf alpha)
{
    struct emgl_context *c = emgl_ctx_outside_begin();
    if (c == NULL)
        return;
    c->clear_color[0] = clamp01(red);
    c->clear_color[1] = clamp01(green);
    c->clear_color[2] = clamp01(blue);
    c->clear_color[3] = clamp01(alpha);
}

void glClearDepth(GLclampd depth)
{
    struct emgl_context *c = emgl_ctx_outside_begin();
    if (c != NULL)
        c->clear_depth = clamp01(depth);
}

void glPixelStorei(GLenum pname, GLint param)
{
    struct emgl_context *c = emgl_ctx_outside_begin();
    if (c == NULL)
        return;
    if (param != 1 && param != 2 && param != 4 && param != 8) {
        emgl_set_error(GL_INVALID_VALUE);
        return;
    }
    if (pname == GL_PACK_ALIGNMENT)
        c->pack_alignment = param;
    else if (pname == GL_UNPACK_ALIGNMENT)
        c->unpack_alignment = param;
    else
        emgl_set_error(GL_INVALID_ENUM);
}

/* Every call finishes its drawing before it returns: nothing is queued. */
void glFinish(void)
{
}

void glFlush(void)
{
}
