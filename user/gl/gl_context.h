/*
 * The GL context: every piece of state the gl* calls read and write.
 *
 * OpenGL is a state machine behind one implicit "current context"; here
 * that is the struct emgl_context that emgl_ctx points to. Each file of the
 * library handles one part of it (matrices, textures, primitives, fragment
 * state) and reaches it only through this header, so the whole state of a
 * GL is visible in one place.
 *
 * Locking: none; a context belongs to the one thread that draws with it.
 * Portable: built for Ember (musl) and for Linux host tests.
 * See: docs/gl.md
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "GL/emgl.h"
#include "GL/gl.h"

/* Stack depths: the minimums OpenGL 1.1 requires (table 6.22). */
#define GL_CTX_MODELVIEW_DEPTH  32
#define GL_CTX_PROJECTION_DEPTH 2
#define GL_CTX_TEXTURE_DEPTH    2

/* The largest texture side glTexImage2D takes (GL_MAX_TEXTURE_SIZE). */
#define GL_CTX_MAX_TEXTURE_SIZE  1024
/* Mipmap levels of a texture: log2(GL_CTX_MAX_TEXTURE_SIZE) + 1. */
#define GL_CTX_MAX_LEVELS        11
/* Texture names run below this, so a wild name cannot grow the table. */
#define GL_CTX_MAX_TEXTURE_NAMES (1u << 20)

struct gl_clipvert; /* gl_raster.h */

/* A 4x4 matrix in OpenGL's column-major order: m[col * 4 + row]. */
struct gl_matrix {
    float m[16];
};

struct gl_matrix_stack {
    struct gl_matrix *mats; /* mats[0..depth-1], top at depth - 1 */
    int depth;
    int max;
};

/* One vertex between glBegin and glEnd, with the attributes current then. */
struct gl_vertex {
    float obj[4];   /* object coordinates as given */
    float color[4]; /* RGBA, 0..1 (clamped when set) */
    float tex[2];   /* s, t */
};

/* One mipmap level: ARGB texels (0xAARRGGBB), rows bottom (t = 0) first. */
struct gl_texlevel {
    uint32_t *texels;
    int width;
    int height;
};

struct gl_texture {
    GLuint name;
    struct gl_texlevel level[GL_CTX_MAX_LEVELS];
    /*
     * What the base internal format carries (texture environments differ
     * for each). Missing components are stored as 255, so MODULATE needs no
     * case of its own; REPLACE takes the fragment's own where these are
     * false.
     */
    bool has_color;
    bool has_alpha;
    GLenum min_filter;
    GLenum mag_filter;
    GLenum wrap_s;
    GLenum wrap_t;
};

struct emgl_context {
    /* The buffers: colour is 0x00RRGGBB top row first; depth is 0..2^32-1. */
    int width;
    int height;
    uint32_t *color;
    uint32_t *depth;

    GLenum error; /* first error since glGetError, GL_NO_ERROR if none */

    /* Current vertex attributes (glColor, glTexCoord). */
    float cur_color[4];
    float cur_tex[2];

    /* The primitive being built between glBegin and glEnd. */
    bool in_begin;
    GLenum prim;
    struct gl_vertex *verts;
    int nverts;
    int verts_cap;
    struct gl_clipvert *cverts; /* the same vertices in clip space */
    int cverts_cap;

    /* Transformation. */
    GLenum matrix_mode;
    struct gl_matrix_stack modelview;
    struct gl_matrix_stack projection;
    struct gl_matrix_stack texture;
    /* projection * modelview and "texture matrix is the identity", kept
     * between primitives; every call that changes a matrix clears
     * mvp_valid and glEnd recomputes them. */
    struct gl_matrix mvp;
    bool mvp_valid;
    bool tex_identity;
    int vp_x, vp_y, vp_w, vp_h; /* glViewport, GL's bottom-left origin */
    float depth_near, depth_far;

    /* Rasterisation. */
    bool cull;
    GLenum cull_face;       /* GL_BACK, GL_FRONT, GL_FRONT_AND_BACK */
    GLenum front_face;      /* GL_CCW or GL_CW */
    GLenum polygon_mode[2]; /* [0] front, [1] back: GL_FILL, GL_LINE... */
    GLenum shade_model;
    bool offset_fill;
    float offset_factor, offset_units;

    /* Per-fragment operations, in the order they run. */
    bool texture_2d;
    GLenum tex_env_mode;
    bool fog;
    GLenum fog_mode;
    float fog_density, fog_start, fog_end;
    float fog_color[4];
    bool scissor_test;
    int sc_x, sc_y, sc_w, sc_h; /* glScissor, GL's bottom-left origin */
    bool alpha_test;
    GLenum alpha_func;
    float alpha_ref;
    bool alpha_pass[256]; /* alpha_pass[a]: fragment alpha a/255 passes */
    bool stencil_test;    /* recorded only: there is no stencil buffer */
    GLenum stencil_func;
    GLint stencil_ref;
    GLuint stencil_mask;
    GLenum stencil_op[3];
    bool depth_test;
    GLenum depth_func;
    bool depth_mask;
    bool blend;
    GLenum blend_src, blend_dst;
    bool color_mask[4];

    /* glClear values. */
    float clear_color[4];
    float clear_depth;
    GLint clear_stencil;

    /* Pixel transfer (glPixelStorei): row alignment in bytes. */
    int pack_alignment;
    int unpack_alignment;

    /* Hints, kept only so glGet can report them. */
    GLenum perspective_hint;

    /* Texture objects by name; tex[0] is the default texture. */
    struct gl_texture **tex;
    GLuint tex_cap;
    GLuint bound_tex;

    struct emgl_stats stats;
};

/* The current context; NULL before emgl_create_context(). */
extern struct emgl_context *emgl_ctx;

/* The clock of emgl_set_clock(), or NULL: no timing. */
extern uint64_t (*emgl_clock)(void);

/* A reading of that clock, or 0 without one. */
static inline uint64_t gl_now(void)
{
    return emgl_clock != NULL ? emgl_clock() : 0;
}

/* Records err as the context's error unless an earlier one is pending. */
void emgl_set_error(GLenum err);

/*
 * The current context for a call that OpenGL forbids between glBegin and
 * glEnd: NULL if there is no context, or (recording GL_INVALID_OPERATION)
 * if a primitive is open.
 */
struct emgl_context *emgl_ctx_outside_begin(void);
