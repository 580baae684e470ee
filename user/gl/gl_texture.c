/*
 * Texture objects: glGenTextures/BindTexture/DeleteTextures, uploads
 * (glTexImage2D, glTexSubImage2D), parameters and glGetTexImage.
 *
 * A texture is an array of mipmap levels of 0xAARRGGBB texels, converted
 * once at upload (gl_pixels.c) so that the span loops read one layout.
 * Names index a table that grows as names are handed out; name 0 is the
 * default texture, which always exists. Sides must be powers of two, as
 * OpenGL 1.1 requires, so wrapping in the span loop is a mask.
 *
 * Locking: none; one thread draws with a context.
 * Portable: built for Ember (musl) and for Linux host tests.
 * See: docs/gl.md
 */
#include "gl_texture.h"

#include <stdlib.h>
#include <string.h>

#include "gl_pixels.h"

/* Texels of an absent component (alpha of RGB, colour of ALPHA). */
#define FULL 0xffu

static struct gl_texture *tex_new(GLuint name)
{
    struct gl_texture *t = calloc(1, sizeof *t);
    if (t == NULL)
        return NULL;
    t->name = name;
    t->has_color = true;
    t->has_alpha = true;
    /* Initial values, OpenGL 1.1 table 6.14. */
    t->min_filter = GL_NEAREST_MIPMAP_LINEAR;
    t->mag_filter = GL_LINEAR;
    t->wrap_s = GL_REPEAT;
    t->wrap_t = GL_REPEAT;
    return t;
}

static void tex_free(struct gl_texture *t)
{
    for (int l = 0; l < GL_CTX_MAX_LEVELS; l++)
        free(t->level[l].texels);
    free(t);
}

/* Makes the table hold index `name`. */
static bool table_reserve(struct emgl_context *c, GLuint name)
{
    if (name < c->tex_cap)
        return true;
    GLuint cap = c->tex_cap ? c->tex_cap : 64;
    while (cap <= name)
        cap *= 2;
    struct gl_texture **t = realloc(c->tex, cap * sizeof *t);
    if (t == NULL)
        return false;
    memset(t + c->tex_cap, 0, (cap - c->tex_cap) * sizeof *t);
    c->tex = t;
    c->tex_cap = cap;
    return true;
}

/* The object called name, created if new; NULL on GL_OUT_OF_MEMORY. */
static struct gl_texture *tex_get(struct emgl_context *c, GLuint name)
{
    if (name >= GL_CTX_MAX_TEXTURE_NAMES || !table_reserve(c, name))
        return NULL;
    if (c->tex[name] == NULL)
        c->tex[name] = tex_new(name);
    return c->tex[name];
}

bool gl_texture_init(struct emgl_context *c)
{
    return tex_get(c, 0) != NULL;
}

void gl_texture_free_all(struct emgl_context *c)
{
    for (GLuint i = 0; i < c->tex_cap; i++)
        if (c->tex[i] != NULL)
            tex_free(c->tex[i]);
    free(c->tex);
    c->tex = NULL;
    c->tex_cap = 0;
}

struct gl_texture *gl_texture_bound(struct emgl_context *c)
{
    return c->tex[c->bound_tex];
}

void glGenTextures(GLsizei n, GLuint *textures)
{
    struct emgl_context *c = emgl_ctx_outside_begin();
    if (c == NULL)
        return;
    if (n < 0) {
        emgl_set_error(GL_INVALID_VALUE);
        return;
    }
    GLuint name = 1;
    for (GLsizei i = 0; i < n; i++) {
        while (name < c->tex_cap && c->tex[name] != NULL)
            name++;
        if (tex_get(c, name) == NULL) {
            emgl_set_error(GL_OUT_OF_MEMORY);
            return;
        }
        textures[i] = name;
    }
}

void glDeleteTextures(GLsizei n, const GLuint *textures)
{
    struct emgl_context *c = emgl_ctx_outside_begin();
    if (c == NULL)
        return;
    if (n < 0) {
        emgl_set_error(GL_INVALID_VALUE);
        return;
    }
    for (GLsizei i = 0; i < n; i++) {
        GLuint name = textures[i];
        if (name == 0 || name >= c->tex_cap || c->tex[name] == NULL)
            continue; /* silently ignored, as OpenGL specifies */
        tex_free(c->tex[name]);
        c->tex[name] = NULL;
        if (c->bound_tex == name)
            c->bound_tex = 0;
    }
}

void glBindTexture(GLenum target, GLuint texture)
{
    struct emgl_context *c = emgl_ctx_outside_begin();
    if (c == NULL)
        return;
    if (target != GL_TEXTURE_2D) {
        emgl_set_error(GL_INVALID_ENUM);
        return;
    }
    if (tex_get(c, texture) == NULL) {
        emgl_set_error(GL_OUT_OF_MEMORY);
        return;
    }
    c->bound_tex = texture;
}

static bool is_pow2(GLsizei v)
{
    return v > 0 && (v & (v - 1)) == 0;
}

/* Base format flags of an internal format; false if it is not one. */
static bool base_format(GLint internal, bool *color, bool *alpha)
{
    switch (internal) {
    case 1:
    case GL_LUMINANCE:
    case GL_LUMINANCE8:
    case 3:
    case GL_RGB:
    case GL_RGB5:
    case GL_RGB8:
        *color = true;
        *alpha = false;
        return true;
    case 2:
    case GL_LUMINANCE_ALPHA:
    case 4:
    case GL_RGBA:
    case GL_RGBA4:
    case GL_RGB5_A1:
    case GL_RGBA8:
    case GL_RGB10_A2:
    case GL_INTENSITY:
    case GL_INTENSITY8:
        *color = true;
        *alpha = true;
        return true;
    case GL_ALPHA:
    case GL_ALPHA8:
        *color = false;
        *alpha = true;
        return true;
    default:
        return false;
    }
}

/* Converts a rectangle of client pixels into level texels at (x, y). */
static void upload(struct emgl_context *c, struct gl_texture *t,
                   struct gl_texlevel *lv, int x, int y, int w, int h,
                   GLenum format, const uint8_t *src)
{
    int bpp = gl_pixels_size(format, GL_UNSIGNED_BYTE);
    size_t stride = gl_pixels_stride(w, bpp, c->unpack_alignment);
    uint32_t keep_mask = 0;
    uint32_t force = 0;
    if (!t->has_alpha)
        force |= FULL << 24; /* RGB textures read alpha 1 */
    if (!t->has_color)
        force |= FULL << 16 | FULL << 8 | FULL;
    keep_mask = ~force;
    uint64_t t0 = gl_now();
    for (int row = 0; row < h; row++) {
        const uint8_t *s = src + (size_t)row * stride;
        uint32_t *d = lv->texels + (size_t)(y + row) * lv->width + x;
        for (int col = 0; col < w; col++, s += bpp)
            d[col] = (gl_pixels_unpack(format, s) & keep_mask) | force;
    }
    c->stats.upload_ticks += gl_now() - t0;
}

/* Checks (target, format, type); sets the error and returns false if bad. */
static bool check_transfer(GLenum target, GLenum format, GLenum type)
{
    if (target != GL_TEXTURE_2D) {
        emgl_set_error(GL_INVALID_ENUM);
        return false;
    }
    if (gl_pixels_size(format, type) == 0) {
        emgl_set_error(GL_INVALID_ENUM);
        return false;
    }
    return true;
}

void glTexImage2D(GLenum target, GLint level, GLint internalformat,
                  GLsizei width, GLsizei height, GLint border, GLenum format,
                  GLenum type, const GLvoid *pixels)
{
    struct emgl_context *c = emgl_ctx_outside_begin();
    if (c == NULL || !check_transfer(target, format, type))
        return;
    bool color, alpha;
    if (!base_format(internalformat, &color, &alpha)) {
        emgl_set_error(GL_INVALID_VALUE);
        return;
    }
    if (level < 0 || level >= GL_CTX_MAX_LEVELS || border != 0 ||
        !is_pow2(width) || !is_pow2(height) ||
        width > GL_CTX_MAX_TEXTURE_SIZE || height > GL_CTX_MAX_TEXTURE_SIZE) {
        emgl_set_error(GL_INVALID_VALUE);
        return;
    }
    struct gl_texture *t = gl_texture_bound(c);
    struct gl_texlevel *lv = &t->level[level];
    uint32_t *texels = calloc((size_t)width * (size_t)height, sizeof *texels);
    if (texels == NULL) {
        emgl_set_error(GL_OUT_OF_MEMORY);
        return;
    }
    free(lv->texels);
    lv->texels = texels;
    lv->width = width;
    lv->height = height;
    if (level == 0) {
        t->has_color = color;
        t->has_alpha = alpha;
    }
    if (pixels != NULL)
        upload(c, t, lv, 0, 0, width, height, format, pixels);
}

void glTexSubImage2D(GLenum target, GLint level, GLint xoffset, GLint yoffset,
                     GLsizei width, GLsizei height, GLenum format, GLenum type,
                     const GLvoid *pixels)
{
    struct emgl_context *c = emgl_ctx_outside_begin();
    if (c == NULL || gl_pixels_size(format, type) == 0) {
        emgl_set_error(GL_INVALID_ENUM);
        return;
    }
    struct gl_texlevel *lv =
        gl_texture_sub_level(c, target, level, xoffset, yoffset, width, height);
    if (lv != NULL && pixels != NULL)
        upload(c, gl_texture_bound(c), lv, xoffset, yoffset, width, height,
               format, pixels);
}

struct gl_texlevel *gl_texture_sub_level(struct emgl_context *c, GLenum target,
                                         GLint level, GLint x, GLint y,
                                         GLsizei w, GLsizei h)
{
    if (target != GL_TEXTURE_2D) {
        emgl_set_error(GL_INVALID_ENUM);
        return NULL;
    }
    if (level < 0 || level >= GL_CTX_MAX_LEVELS) {
        emgl_set_error(GL_INVALID_VALUE);
        return NULL;
    }
    struct gl_texlevel *lv = &gl_texture_bound(c)->level[level];
    if (lv->texels == NULL) {
        emgl_set_error(GL_INVALID_OPERATION);
        return NULL;
    }
    if (x < 0 || y < 0 || w < 0 || h < 0 || x + w > lv->width ||
        y + h > lv->height) {
        emgl_set_error(GL_INVALID_VALUE);
        return NULL;
    }
    return lv;
}

void glGetTexImage(GLenum target, GLint level, GLenum format, GLenum type,
                   GLvoid *pixels)
{
    struct emgl_context *c = emgl_ctx_outside_begin();
    if (c == NULL || !check_transfer(target, format, type))
        return;
    if (level < 0 || level >= GL_CTX_MAX_LEVELS) {
        emgl_set_error(GL_INVALID_VALUE);
        return;
    }
    struct gl_texlevel *lv = &gl_texture_bound(c)->level[level];
    if (lv->texels == NULL)
        return;
    int bpp = gl_pixels_size(format, type);
    size_t stride = gl_pixels_stride(lv->width, bpp, c->pack_alignment);
    for (int row = 0; row < lv->height; row++) {
        uint8_t *d = (uint8_t *)pixels + (size_t)row * stride;
        const uint32_t *s = lv->texels + (size_t)row * lv->width;
        for (int col = 0; col < lv->width; col++, d += bpp)
            gl_pixels_pack(format, s[col], d);
    }
}

static bool valid_filter(GLenum f, bool min)
{
    if (f == GL_NEAREST || f == GL_LINEAR)
        return true;
    return min &&
           (f == GL_NEAREST_MIPMAP_NEAREST || f == GL_LINEAR_MIPMAP_NEAREST ||
            f == GL_NEAREST_MIPMAP_LINEAR || f == GL_LINEAR_MIPMAP_LINEAR);
}

static bool valid_wrap(GLenum w)
{
    return w == GL_REPEAT || w == GL_CLAMP || w == GL_CLAMP_TO_EDGE;
}

void glTexParameteri(GLenum target, GLenum pname, GLint param)
{
    struct emgl_context *c = emgl_ctx_outside_begin();
    if (c == NULL)
        return;
    if (target != GL_TEXTURE_2D) {
        emgl_set_error(GL_INVALID_ENUM);
        return;
    }
    struct gl_texture *t = gl_texture_bound(c);
    GLenum v = (GLenum)param;
    bool ok = true;
    switch (pname) {
    case GL_TEXTURE_MIN_FILTER:
        ok = valid_filter(v, true);
        if (ok)
            t->min_filter = v;
        break;
    case GL_TEXTURE_MAG_FILTER:
        ok = valid_filter(v, false);
        if (ok)
            t->mag_filter = v;
        break;
    case GL_TEXTURE_WRAP_S:
        ok = valid_wrap(v);
        if (ok)
            t->wrap_s = v;
        break;
    case GL_TEXTURE_WRAP_T:
        ok = valid_wrap(v);
        if (ok)
            t->wrap_t = v;
        break;
    default:
        ok = false; /* anisotropy and the rest: no such parameter here */
        break;
    }
    if (!ok)
        emgl_set_error(GL_INVALID_ENUM);
}

void glTexParameterf(GLenum target, GLenum pname, GLfloat param)
{
    glTexParameteri(target, pname, (GLint)param);
}

void glGetTexParameterfv(GLenum target, GLenum pname, GLfloat *params)
{
    struct emgl_context *c = emgl_ctx_outside_begin();
    if (c == NULL)
        return;
    if (target != GL_TEXTURE_2D) {
        emgl_set_error(GL_INVALID_ENUM);
        return;
    }
    struct gl_texture *t = gl_texture_bound(c);
    switch (pname) {
    case GL_TEXTURE_MIN_FILTER:
        params[0] = (GLfloat)t->min_filter;
        break;
    case GL_TEXTURE_MAG_FILTER:
        params[0] = (GLfloat)t->mag_filter;
        break;
    case GL_TEXTURE_WRAP_S:
        params[0] = (GLfloat)t->wrap_s;
        break;
    case GL_TEXTURE_WRAP_T:
        params[0] = (GLfloat)t->wrap_t;
        break;
    default:
        emgl_set_error(GL_INVALID_ENUM);
        break;
    }
}

void glTexEnvi(GLenum target, GLenum pname, GLint param)
{
    struct emgl_context *c = emgl_ctx_outside_begin();
    if (c == NULL)
        return;
    GLenum mode = (GLenum)param;
    if (target != GL_TEXTURE_ENV || pname != GL_TEXTURE_ENV_MODE ||
        (mode != GL_MODULATE && mode != GL_REPLACE && mode != GL_DECAL &&
         mode != GL_ADD)) {
        emgl_set_error(GL_INVALID_ENUM);
        return;
    }
    c->tex_env_mode = mode;
}

void glTexEnvf(GLenum target, GLenum pname, GLfloat param)
{
    glTexEnvi(target, pname, (GLint)param);
}
