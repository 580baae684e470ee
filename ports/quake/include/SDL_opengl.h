/*
 * Stand-in for <SDL_opengl.h>: Ember's GL 1.1 header, plus the names of
 * later GL versions and extensions that the engine's code mentions.
 *
 * Real SDL includes the system's <GL/gl.h> and <GL/glext.h>. Ours includes
 * Ember's own <GL/gl.h> (user/gl/), which is OpenGL 1.1 only. The engine
 * compiles in paths for multitexture, vertex buffers, texture combiners,
 * anisotropy and GLSL, and takes them only when the GL reports them (our
 * video.c reports none: the version is 1.1 and the extension string is
 * empty), so those names must exist but are never used at run time. The
 * values are the OpenGL registry's (glext.h); each is defined only if the
 * GL header did not already.
 *
 * See: docs/quake.md, docs/gl.md
 */
#pragma once

#include <stddef.h>

#include <GL/gl.h>

#ifndef APIENTRYP
#define APIENTRYP APIENTRY *
#endif

/* Types of GL 1.5 and 2.0. */
typedef char GLchar;
typedef ptrdiff_t GLsizeiptrARB;
typedef ptrdiff_t GLintptrARB;

/* GL_ARB_multitexture (core in 1.3). */
#ifndef GL_TEXTURE0
#define GL_TEXTURE0 0x84C0
#define GL_TEXTURE1 0x84C1
#define GL_TEXTURE2 0x84C2
#endif
#ifndef GL_TEXTURE0_ARB
#define GL_TEXTURE0_ARB 0x84C0
#define GL_TEXTURE1_ARB 0x84C1
#endif
#ifndef GL_MAX_TEXTURE_UNITS
#define GL_MAX_TEXTURE_UNITS 0x84E2
#endif
typedef void(APIENTRYP PFNGLMULTITEXCOORD2FARBPROC)(GLenum target, GLfloat s,
                                                    GLfloat t);
typedef void(APIENTRYP PFNGLACTIVETEXTUREARBPROC)(GLenum texture);
typedef void(APIENTRYP PFNGLCLIENTACTIVETEXTUREARBPROC)(GLenum texture);

/* GL_ARB_vertex_buffer_object (core in 1.5). */
#ifndef GL_ARRAY_BUFFER
#define GL_ARRAY_BUFFER         0x8892
#define GL_ELEMENT_ARRAY_BUFFER 0x8893
#define GL_STATIC_DRAW          0x88E4
#endif
typedef void(APIENTRYP PFNGLBINDBUFFERARBPROC)(GLenum target, GLuint buffer);
typedef void(APIENTRYP PFNGLBUFFERDATAARBPROC)(GLenum target,
                                               GLsizeiptrARB size,
                                               const void *data, GLenum usage);
typedef void(APIENTRYP PFNGLBUFFERSUBDATAARBPROC)(GLenum target,
                                                  GLintptrARB offset,
                                                  GLsizeiptrARB size,
                                                  const void *data);
typedef void(APIENTRYP PFNGLDELETEBUFFERSARBPROC)(GLsizei n,
                                                  const GLuint *buffers);
typedef void(APIENTRYP PFNGLGENBUFFERSARBPROC)(GLsizei n, GLuint *buffers);

/* GL 2.0 shaders. */
#ifndef GL_FRAGMENT_SHADER
#define GL_FRAGMENT_SHADER 0x8B30
#define GL_VERTEX_SHADER   0x8B31
#define GL_COMPILE_STATUS  0x8B81
#define GL_LINK_STATUS     0x8B82
#endif

/* GL_EXT_texture_env_combine. */
#ifndef GL_COMBINE_EXT
#define GL_COMBINE_EXT       0x8570
#define GL_COMBINE_RGB_EXT   0x8571
#define GL_COMBINE_ALPHA_EXT 0x8572
#define GL_RGB_SCALE_EXT     0x8573
#define GL_CONSTANT_EXT      0x8576
#define GL_PRIMARY_COLOR_EXT 0x8577
#define GL_PREVIOUS_EXT      0x8578
#define GL_SOURCE0_RGB_EXT   0x8580
#define GL_SOURCE1_RGB_EXT   0x8581
#define GL_SOURCE0_ALPHA_EXT 0x8588
#define GL_SOURCE1_ALPHA_EXT 0x8589
#endif

/* GL_EXT_texture_filter_anisotropic. */
#ifndef GL_TEXTURE_MAX_ANISOTROPY_EXT
#define GL_TEXTURE_MAX_ANISOTROPY_EXT     0x84FE
#define GL_MAX_TEXTURE_MAX_ANISOTROPY_EXT 0x84FF
#endif

/* GL 1.2 packed pixels: 10-bit textures for the GLSL gamma path. */
#ifndef GL_UNSIGNED_INT_10_10_10_2
#define GL_UNSIGNED_INT_10_10_10_2 0x8036
#endif
