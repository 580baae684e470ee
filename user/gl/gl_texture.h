/*
 * Texture objects: names, storage of the levels, and texel lookup.
 *
 * Portable: built for Ember (musl) and for Linux host tests.
 * See: docs/gl.md
 */
#pragma once

#include "gl_context.h"

/* Creates the default texture (name 0). Returns false if memory runs out. */
bool gl_texture_init(struct emgl_context *c);

/* Frees every texture object and the table of names. */
void gl_texture_free_all(struct emgl_context *c);

/* The texture bound to GL_TEXTURE_2D (never NULL in a live context). */
struct gl_texture *gl_texture_bound(struct emgl_context *c);

/*
 * The bound texture's level for a sub-rectangle update (glTexSubImage2D,
 * glCopyTexSubImage2D), after the checks both make: NULL, with the error
 * recorded, if target or level is bad (GL_INVALID_ENUM/VALUE), the level
 * was never defined (GL_INVALID_OPERATION) or the rectangle does not fit
 * (GL_INVALID_VALUE).
 */
struct gl_texlevel *gl_texture_sub_level(struct emgl_context *c, GLenum target,
                                         GLint level, GLint x, GLint y,
                                         GLsizei w, GLsizei h);
