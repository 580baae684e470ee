/*
 * Contexts: creating one with GL's initial state, and the platform API.
 *
 * emgl_create_context() allocates the colour and depth buffers and the
 * matrix stacks, then sets every piece of state to the value OpenGL 1.1
 * specifies as initial (tables 6.5-6.28 of the specification): identity
 * matrices, a viewport covering the buffer, depth range 0..1, LESS, no
 * blending, MODULATE, CCW front faces, back-face culling off, a white
 * current colour. The platform layer then draws with gl* calls and shows
 * emgl_framebuffer().
 *
 * Locking: none; one thread draws with a context.
 * Portable: built for Ember (musl) and for Linux host tests.
 * See: docs/gl.md
 */
#include "GL/emgl.h"

#include <stdlib.h>
#include <string.h>

#include "gl_context.h"
#include "gl_matrix.h"
#include "gl_texture.h"

struct emgl_context *emgl_ctx;
uint64_t (*emgl_clock)(void);

void emgl_set_clock(uint64_t (*now)(void))
{
    emgl_clock = now;
}

void emgl_set_error(GLenum err)
{
    if (emgl_ctx != NULL && emgl_ctx->error == GL_NO_ERROR)
        emgl_ctx->error = err;
}

struct emgl_context *emgl_ctx_outside_begin(void)
{
    if (emgl_ctx == NULL)
        return NULL;
    if (emgl_ctx->in_begin) {
        emgl_set_error(GL_INVALID_OPERATION);
        return NULL;
    }
    return emgl_ctx;
}

static bool stack_init(struct gl_matrix_stack *s, int max)
{
    s->mats = calloc((size_t)max, sizeof *s->mats);
    if (s->mats == NULL)
        return false;
    s->max = max;
    s->depth = 1;
    gl_matrix_identity(&s->mats[0]);
    return true;
}

/* The initial values of OpenGL 1.1's state tables. */
static void set_initial_state(struct emgl_context *c)
{
    c->error = GL_NO_ERROR;
    c->cur_color[0] = c->cur_color[1] = c->cur_color[2] = 1.0f;
    c->cur_color[3] = 1.0f;
    c->matrix_mode = GL_MODELVIEW;
    c->vp_w = c->width;
    c->vp_h = c->height;
    c->depth_near = 0.0f;
    c->depth_far = 1.0f;
    c->cull_face = GL_BACK;
    c->front_face = GL_CCW;
    c->polygon_mode[0] = c->polygon_mode[1] = GL_FILL;
    c->shade_model = GL_SMOOTH;
    c->tex_env_mode = GL_MODULATE;
    c->fog_mode = GL_EXP;
    c->fog_density = 1.0f;
    c->fog_end = 1.0f;
    c->sc_w = c->width;
    c->sc_h = c->height;
    c->alpha_func = GL_ALWAYS;
    for (int a = 0; a < 256; a++)
        c->alpha_pass[a] = true;
    c->stencil_func = GL_ALWAYS;
    c->stencil_mask = ~0u;
    c->stencil_op[0] = c->stencil_op[1] = c->stencil_op[2] = GL_KEEP;
    c->depth_func = GL_LESS;
    c->depth_mask = true;
    c->blend_src = GL_ONE;
    c->blend_dst = GL_ZERO;
    for (int i = 0; i < 4; i++)
        c->color_mask[i] = true;
    c->clear_depth = 1.0f;
    c->pack_alignment = 4;
    c->unpack_alignment = 4;
    c->perspective_hint = GL_DONT_CARE;
}

struct emgl_context *emgl_create_context(int width, int height)
{
    if (width < 1 || height < 1 || width > EMGL_MAX_SIZE ||
        height > EMGL_MAX_SIZE)
        return NULL;
    struct emgl_context *c = calloc(1, sizeof *c);
    if (c == NULL)
        return NULL;
    c->width = width;
    c->height = height;
    size_t pixels = (size_t)width * (size_t)height;
    c->color = calloc(pixels, sizeof *c->color);
    c->depth = malloc(pixels * sizeof *c->depth);
    if (c->color == NULL || c->depth == NULL ||
        !stack_init(&c->modelview, GL_CTX_MODELVIEW_DEPTH) ||
        !stack_init(&c->projection, GL_CTX_PROJECTION_DEPTH) ||
        !stack_init(&c->texture, GL_CTX_TEXTURE_DEPTH) || !gl_texture_init(c)) {
        emgl_destroy_context(c);
        return NULL;
    }
    for (size_t i = 0; i < pixels; i++)
        c->depth[i] = UINT32_MAX;
    set_initial_state(c);
    emgl_ctx = c;
    return c;
}

void emgl_destroy_context(struct emgl_context *ctx)
{
    if (ctx == NULL)
        return;
    gl_texture_free_all(ctx);
    free(ctx->modelview.mats);
    free(ctx->projection.mats);
    free(ctx->texture.mats);
    free(ctx->verts);
    free(ctx->cverts);
    free(ctx->depth);
    free(ctx->color);
    if (emgl_ctx == ctx)
        emgl_ctx = NULL;
    free(ctx);
}

void emgl_make_current(struct emgl_context *ctx)
{
    emgl_ctx = ctx;
}

struct emgl_context *emgl_current(void)
{
    return emgl_ctx;
}

uint32_t *emgl_framebuffer(void)
{
    return emgl_ctx != NULL ? emgl_ctx->color : NULL;
}

int emgl_width(void)
{
    return emgl_ctx != NULL ? emgl_ctx->width : 0;
}

int emgl_height(void)
{
    return emgl_ctx != NULL ? emgl_ctx->height : 0;
}

void emgl_get_stats(struct emgl_stats *out)
{
    if (emgl_ctx != NULL)
        *out = emgl_ctx->stats;
    else
        memset(out, 0, sizeof *out);
}

void emgl_reset_stats(void)
{
    if (emgl_ctx != NULL)
        memset(&emgl_ctx->stats, 0, sizeof emgl_ctx->stats);
}
