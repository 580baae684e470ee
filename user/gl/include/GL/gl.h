/*
 * OpenGL 1.1 for Ember programs: the types, enum values and entry points of
 * the subset Ember's software GL implements.
 *
 * The names, types and values are those of the OpenGL 1.1 specification, so
 * unmodified GL programs (Quakespasm among them) compile against this header.
 * Only the entry points the library really provides are declared: a program
 * that calls anything else fails to link rather than draw wrongly. The
 * context and its framebuffer come from <GL/emgl.h>. What each call does,
 * and which ones are stubs: docs/gl.md.
 *
 * Portable: built for Ember (musl) and for Linux host tests.
 * See: docs/gl.md
 */
#pragma once

#ifdef __cplusplus
extern "C" {
#endif

/* Calling-convention markers other GL headers define; empty on x86_64. */
#define GLAPI extern
#define APIENTRY
#define APIENTRYP APIENTRY *
#define GLAPIENTRY

/* ---- types (OpenGL 1.1 specification, table 2.2) ---- */
typedef unsigned int GLenum;
typedef unsigned char GLboolean;
typedef unsigned int GLbitfield;
typedef void GLvoid;
typedef signed char GLbyte;
typedef short GLshort;
typedef int GLint;
typedef unsigned char GLubyte;
typedef unsigned short GLushort;
typedef unsigned int GLuint;
typedef int GLsizei;
typedef float GLfloat;
typedef float GLclampf;
typedef double GLdouble;
typedef double GLclampd;

#define GL_VERSION_1_1 1

/* ---- boolean ---- */
#define GL_FALSE 0
#define GL_TRUE  1

/* ---- data types ---- */
#define GL_BYTE           0x1400
#define GL_UNSIGNED_BYTE  0x1401
#define GL_SHORT          0x1402
#define GL_UNSIGNED_SHORT 0x1403
#define GL_INT            0x1404
#define GL_UNSIGNED_INT   0x1405
#define GL_FLOAT          0x1406
#define GL_DOUBLE         0x140A

/* ---- primitives (glBegin) ---- */
#define GL_POINTS         0x0000
#define GL_LINES          0x0001
#define GL_LINE_LOOP      0x0002
#define GL_LINE_STRIP     0x0003
#define GL_TRIANGLES      0x0004
#define GL_TRIANGLE_STRIP 0x0005
#define GL_TRIANGLE_FAN   0x0006
#define GL_QUADS          0x0007
#define GL_QUAD_STRIP     0x0008
#define GL_POLYGON        0x0009

/* ---- glClear masks ---- */
#define GL_DEPTH_BUFFER_BIT   0x00000100
#define GL_ACCUM_BUFFER_BIT   0x00000200
#define GL_STENCIL_BUFFER_BIT 0x00000400
#define GL_COLOR_BUFFER_BIT   0x00004000

/* ---- blending factors ---- */
#define GL_ZERO                0
#define GL_ONE                 1
#define GL_SRC_COLOR           0x0300
#define GL_ONE_MINUS_SRC_COLOR 0x0301
#define GL_SRC_ALPHA           0x0302
#define GL_ONE_MINUS_SRC_ALPHA 0x0303
#define GL_DST_ALPHA           0x0304
#define GL_ONE_MINUS_DST_ALPHA 0x0305
#define GL_DST_COLOR           0x0306
#define GL_ONE_MINUS_DST_COLOR 0x0307
#define GL_SRC_ALPHA_SATURATE  0x0308

/* ---- comparison functions (depth, alpha, stencil) ---- */
#define GL_NEVER    0x0200
#define GL_LESS     0x0201
#define GL_EQUAL    0x0202
#define GL_LEQUAL   0x0203
#define GL_GREATER  0x0204
#define GL_NOTEQUAL 0x0205
#define GL_GEQUAL   0x0206
#define GL_ALWAYS   0x0207

/* ---- faces and winding ---- */
#define GL_NONE           0
#define GL_FRONT          0x0404
#define GL_BACK           0x0405
#define GL_FRONT_AND_BACK 0x0408
#define GL_CW             0x0900
#define GL_CCW            0x0901

/* ---- errors (glGetError) ---- */
#define GL_NO_ERROR          0
#define GL_INVALID_ENUM      0x0500
#define GL_INVALID_VALUE     0x0501
#define GL_INVALID_OPERATION 0x0502
#define GL_STACK_OVERFLOW    0x0503
#define GL_STACK_UNDERFLOW   0x0504
#define GL_OUT_OF_MEMORY     0x0505

/* ---- capabilities and state queries ---- */
#define GL_POINT_SMOOTH                0x0B10
#define GL_LINE_SMOOTH                 0x0B20
#define GL_LINE_WIDTH                  0x0B21
#define GL_POLYGON_MODE                0x0B40
#define GL_POLYGON_SMOOTH              0x0B41
#define GL_CULL_FACE                   0x0B44
#define GL_CULL_FACE_MODE              0x0B45
#define GL_FRONT_FACE                  0x0B46
#define GL_LIGHTING                    0x0B50
#define GL_SHADE_MODEL                 0x0B54
#define GL_COLOR_MATERIAL              0x0B57
#define GL_FOG                         0x0B60
#define GL_FOG_INDEX                   0x0B61
#define GL_FOG_DENSITY                 0x0B62
#define GL_FOG_START                   0x0B63
#define GL_FOG_END                     0x0B64
#define GL_FOG_MODE                    0x0B65
#define GL_FOG_COLOR                   0x0B66
#define GL_DEPTH_RANGE                 0x0B70
#define GL_DEPTH_TEST                  0x0B71
#define GL_DEPTH_WRITEMASK             0x0B72
#define GL_DEPTH_CLEAR_VALUE           0x0B73
#define GL_DEPTH_FUNC                  0x0B74
#define GL_STENCIL_TEST                0x0B90
#define GL_STENCIL_CLEAR_VALUE         0x0B91
#define GL_STENCIL_FUNC                0x0B92
#define GL_STENCIL_VALUE_MASK          0x0B93
#define GL_STENCIL_FAIL                0x0B94
#define GL_STENCIL_PASS_DEPTH_FAIL     0x0B95
#define GL_STENCIL_PASS_DEPTH_PASS     0x0B96
#define GL_STENCIL_REF                 0x0B97
#define GL_STENCIL_WRITEMASK           0x0B98
#define GL_MATRIX_MODE                 0x0BA0
#define GL_NORMALIZE                   0x0BA1
#define GL_VIEWPORT                    0x0BA2
#define GL_MODELVIEW_STACK_DEPTH       0x0BA3
#define GL_PROJECTION_STACK_DEPTH      0x0BA4
#define GL_TEXTURE_STACK_DEPTH         0x0BA5
#define GL_MODELVIEW_MATRIX            0x0BA6
#define GL_PROJECTION_MATRIX           0x0BA7
#define GL_TEXTURE_MATRIX              0x0BA8
#define GL_ALPHA_TEST                  0x0BC0
#define GL_ALPHA_TEST_FUNC             0x0BC1
#define GL_ALPHA_TEST_REF              0x0BC2
#define GL_DITHER                      0x0BD0
#define GL_BLEND_DST                   0x0BE0
#define GL_BLEND_SRC                   0x0BE1
#define GL_BLEND                       0x0BE2
#define GL_SCISSOR_BOX                 0x0C10
#define GL_SCISSOR_TEST                0x0C11
#define GL_COLOR_CLEAR_VALUE           0x0C22
#define GL_COLOR_WRITEMASK             0x0C23
#define GL_PERSPECTIVE_CORRECTION_HINT 0x0C50
#define GL_POINT_SMOOTH_HINT           0x0C51
#define GL_LINE_SMOOTH_HINT            0x0C52
#define GL_POLYGON_SMOOTH_HINT         0x0C53
#define GL_FOG_HINT                    0x0C54
#define GL_UNPACK_SWAP_BYTES           0x0CF0
#define GL_UNPACK_LSB_FIRST            0x0CF1
#define GL_UNPACK_ROW_LENGTH           0x0CF2
#define GL_UNPACK_SKIP_ROWS            0x0CF3
#define GL_UNPACK_SKIP_PIXELS          0x0CF4
#define GL_UNPACK_ALIGNMENT            0x0CF5
#define GL_PACK_SWAP_BYTES             0x0D00
#define GL_PACK_LSB_FIRST              0x0D01
#define GL_PACK_ROW_LENGTH             0x0D02
#define GL_PACK_SKIP_ROWS              0x0D03
#define GL_PACK_SKIP_PIXELS            0x0D04
#define GL_PACK_ALIGNMENT              0x0D05
#define GL_MAX_TEXTURE_SIZE            0x0D33
#define GL_MAX_MODELVIEW_STACK_DEPTH   0x0D36
#define GL_MAX_PROJECTION_STACK_DEPTH  0x0D38
#define GL_MAX_TEXTURE_STACK_DEPTH     0x0D39
#define GL_MAX_VIEWPORT_DIMS           0x0D3A
#define GL_SUBPIXEL_BITS               0x0D50
#define GL_RED_BITS                    0x0D52
#define GL_GREEN_BITS                  0x0D53
#define GL_BLUE_BITS                   0x0D54
#define GL_ALPHA_BITS                  0x0D55
#define GL_DEPTH_BITS                  0x0D56
#define GL_STENCIL_BITS                0x0D57
#define GL_TEXTURE_1D                  0x0DE0
#define GL_TEXTURE_2D                  0x0DE1
#define GL_POLYGON_OFFSET_UNITS        0x2A00
#define GL_POLYGON_OFFSET_POINT        0x2A01
#define GL_POLYGON_OFFSET_LINE         0x2A02
#define GL_POLYGON_OFFSET_FILL         0x8037
#define GL_POLYGON_OFFSET_FACTOR       0x8038
#define GL_TEXTURE_BINDING_2D          0x8069
#define GL_VERTEX_ARRAY                0x8074
#define GL_NORMAL_ARRAY                0x8075
#define GL_COLOR_ARRAY                 0x8076
#define GL_TEXTURE_COORD_ARRAY         0x8078

/* ---- hints ---- */
#define GL_DONT_CARE 0x1100
#define GL_FASTEST   0x1101
#define GL_NICEST    0x1102

/* ---- matrix modes ---- */
#define GL_MODELVIEW  0x1700
#define GL_PROJECTION 0x1701
#define GL_TEXTURE    0x1702

/* ---- pixel formats ---- */
#define GL_COLOR_INDEX     0x1900
#define GL_STENCIL_INDEX   0x1901
#define GL_DEPTH_COMPONENT 0x1902
#define GL_RED             0x1903
#define GL_GREEN           0x1904
#define GL_BLUE            0x1905
#define GL_ALPHA           0x1906
#define GL_RGB             0x1907
#define GL_RGBA            0x1908
#define GL_LUMINANCE       0x1909
#define GL_LUMINANCE_ALPHA 0x190A

/* ---- sized internal formats ---- */
#define GL_ALPHA8     0x803C
#define GL_LUMINANCE8 0x8040
#define GL_INTENSITY  0x8049
#define GL_INTENSITY8 0x804B
#define GL_RGB5       0x8050
#define GL_RGB8       0x8051
#define GL_RGBA4      0x8056
#define GL_RGB5_A1    0x8057
#define GL_RGBA8      0x8058
#define GL_RGB10_A2   0x8059

/* ---- polygon rasterisation ---- */
#define GL_POINT  0x1B00
#define GL_LINE   0x1B01
#define GL_FILL   0x1B02
#define GL_FLAT   0x1D00
#define GL_SMOOTH 0x1D01

/* ---- strings ---- */
#define GL_VENDOR     0x1F00
#define GL_RENDERER   0x1F01
#define GL_VERSION    0x1F02
#define GL_EXTENSIONS 0x1F03

/* ---- stencil operations ---- */
#define GL_KEEP    0x1E00
#define GL_REPLACE 0x1E01
#define GL_INCR    0x1E02
#define GL_DECR    0x1E03
#define GL_INVERT  0x150A

/* ---- texture environment, filters and wrapping ---- */
#define GL_ADD                     0x0104
#define GL_MODULATE                0x2100
#define GL_DECAL                   0x2101
#define GL_TEXTURE_ENV_MODE        0x2200
#define GL_TEXTURE_ENV_COLOR       0x2201
#define GL_TEXTURE_ENV             0x2300
#define GL_NEAREST                 0x2600
#define GL_LINEAR                  0x2601
#define GL_NEAREST_MIPMAP_NEAREST  0x2700
#define GL_LINEAR_MIPMAP_NEAREST   0x2701
#define GL_NEAREST_MIPMAP_LINEAR   0x2702
#define GL_LINEAR_MIPMAP_LINEAR    0x2703
#define GL_TEXTURE_MAG_FILTER      0x2800
#define GL_TEXTURE_MIN_FILTER      0x2801
#define GL_TEXTURE_WRAP_S          0x2802
#define GL_TEXTURE_WRAP_T          0x2803
#define GL_CLAMP                   0x2900
#define GL_REPEAT                  0x2901
#define GL_TEXTURE_WIDTH           0x1000
#define GL_TEXTURE_HEIGHT          0x1001
#define GL_TEXTURE_INTERNAL_FORMAT 0x1003
#define GL_TEXTURE_BORDER_COLOR    0x1004

/* ---- fog modes (GL_LINEAR above is the third) ---- */
#define GL_EXP  0x0800
#define GL_EXP2 0x0801

/*
 * Three names from OpenGL 1.2 that programs written for 1.1 drivers use
 * anyway, and that this library accepts: edge clamping and BGRA uploads.
 */
#define GL_CLAMP_TO_EDGE            0x812F
#define GL_BGRA                     0x80E1
#define GL_UNSIGNED_INT_8_8_8_8_REV 0x8367

/* ---- primitives and vertices ---- */
GLAPI void APIENTRY glBegin(GLenum mode);
GLAPI void APIENTRY glEnd(void);
GLAPI void APIENTRY glVertex2f(GLfloat x, GLfloat y);
GLAPI void APIENTRY glVertex2i(GLint x, GLint y);
GLAPI void APIENTRY glVertex2fv(const GLfloat *v);
GLAPI void APIENTRY glVertex3f(GLfloat x, GLfloat y, GLfloat z);
GLAPI void APIENTRY glVertex3fv(const GLfloat *v);
GLAPI void APIENTRY glVertex4f(GLfloat x, GLfloat y, GLfloat z, GLfloat w);
GLAPI void APIENTRY glTexCoord2f(GLfloat s, GLfloat t);
GLAPI void APIENTRY glTexCoord2fv(const GLfloat *v);
GLAPI void APIENTRY glColor3f(GLfloat r, GLfloat g, GLfloat b);
GLAPI void APIENTRY glColor3fv(const GLfloat *v);
GLAPI void APIENTRY glColor3ub(GLubyte r, GLubyte g, GLubyte b);
GLAPI void APIENTRY glColor3ubv(const GLubyte *v);
GLAPI void APIENTRY glColor4f(GLfloat r, GLfloat g, GLfloat b, GLfloat a);
GLAPI void APIENTRY glColor4fv(const GLfloat *v);
GLAPI void APIENTRY glColor4ub(GLubyte r, GLubyte g, GLubyte b, GLubyte a);
GLAPI void APIENTRY glColor4ubv(const GLubyte *v);
GLAPI void APIENTRY glDrawElements(GLenum mode, GLsizei count, GLenum type,
                                   const GLvoid *indices);

/* ---- matrices ---- */
GLAPI void APIENTRY glMatrixMode(GLenum mode);
GLAPI void APIENTRY glLoadIdentity(void);
GLAPI void APIENTRY glLoadMatrixf(const GLfloat *m);
GLAPI void APIENTRY glMultMatrixf(const GLfloat *m);
GLAPI void APIENTRY glPushMatrix(void);
GLAPI void APIENTRY glPopMatrix(void);
GLAPI void APIENTRY glRotatef(GLfloat angle, GLfloat x, GLfloat y, GLfloat z);
GLAPI void APIENTRY glScalef(GLfloat x, GLfloat y, GLfloat z);
GLAPI void APIENTRY glTranslatef(GLfloat x, GLfloat y, GLfloat z);
GLAPI void APIENTRY glFrustum(GLdouble left, GLdouble right, GLdouble bottom,
                              GLdouble top, GLdouble near_val,
                              GLdouble far_val);
GLAPI void APIENTRY glOrtho(GLdouble left, GLdouble right, GLdouble bottom,
                            GLdouble top, GLdouble near_val, GLdouble far_val);
GLAPI void APIENTRY glViewport(GLint x, GLint y, GLsizei width, GLsizei height);
GLAPI void APIENTRY glDepthRange(GLclampd near_val, GLclampd far_val);

/* ---- per-fragment state ---- */
GLAPI void APIENTRY glEnable(GLenum cap);
GLAPI void APIENTRY glDisable(GLenum cap);
GLAPI GLboolean APIENTRY glIsEnabled(GLenum cap);
GLAPI void APIENTRY glAlphaFunc(GLenum func, GLclampf ref);
GLAPI void APIENTRY glBlendFunc(GLenum sfactor, GLenum dfactor);
GLAPI void APIENTRY glDepthFunc(GLenum func);
GLAPI void APIENTRY glDepthMask(GLboolean flag);
GLAPI void APIENTRY glColorMask(GLboolean red, GLboolean green, GLboolean blue,
                                GLboolean alpha);
GLAPI void APIENTRY glScissor(GLint x, GLint y, GLsizei width, GLsizei height);
GLAPI void APIENTRY glCullFace(GLenum mode);
GLAPI void APIENTRY glFrontFace(GLenum mode);
GLAPI void APIENTRY glPolygonMode(GLenum face, GLenum mode);
GLAPI void APIENTRY glPolygonOffset(GLfloat factor, GLfloat units);
GLAPI void APIENTRY glShadeModel(GLenum mode);
GLAPI void APIENTRY glHint(GLenum target, GLenum mode);
GLAPI void APIENTRY glStencilFunc(GLenum func, GLint ref, GLuint mask);
GLAPI void APIENTRY glStencilOp(GLenum fail, GLenum zfail, GLenum zpass);
GLAPI void APIENTRY glClearStencil(GLint s);
GLAPI void APIENTRY glFogf(GLenum pname, GLfloat param);
GLAPI void APIENTRY glFogi(GLenum pname, GLint param);
GLAPI void APIENTRY glFogfv(GLenum pname, const GLfloat *params);

/* ---- framebuffer ---- */
GLAPI void APIENTRY glClear(GLbitfield mask);
GLAPI void APIENTRY glClearColor(GLclampf red, GLclampf green, GLclampf blue,
                                 GLclampf alpha);
GLAPI void APIENTRY glClearDepth(GLclampd depth);
GLAPI void APIENTRY glReadPixels(GLint x, GLint y, GLsizei width,
                                 GLsizei height, GLenum format, GLenum type,
                                 GLvoid *pixels);
GLAPI void APIENTRY glPixelStorei(GLenum pname, GLint param);
GLAPI void APIENTRY glFinish(void);
GLAPI void APIENTRY glFlush(void);

/* ---- textures ---- */
GLAPI void APIENTRY glGenTextures(GLsizei n, GLuint *textures);
GLAPI void APIENTRY glDeleteTextures(GLsizei n, const GLuint *textures);
GLAPI void APIENTRY glBindTexture(GLenum target, GLuint texture);
GLAPI void APIENTRY glTexImage2D(GLenum target, GLint level,
                                 GLint internalformat, GLsizei width,
                                 GLsizei height, GLint border, GLenum format,
                                 GLenum type, const GLvoid *pixels);
GLAPI void APIENTRY glTexSubImage2D(GLenum target, GLint level, GLint xoffset,
                                    GLint yoffset, GLsizei width,
                                    GLsizei height, GLenum format, GLenum type,
                                    const GLvoid *pixels);
GLAPI void APIENTRY glCopyTexSubImage2D(GLenum target, GLint level,
                                        GLint xoffset, GLint yoffset, GLint x,
                                        GLint y, GLsizei width, GLsizei height);
GLAPI void APIENTRY glGetTexImage(GLenum target, GLint level, GLenum format,
                                  GLenum type, GLvoid *pixels);
GLAPI void APIENTRY glTexParameterf(GLenum target, GLenum pname, GLfloat param);
GLAPI void APIENTRY glTexParameteri(GLenum target, GLenum pname, GLint param);
GLAPI void APIENTRY glGetTexParameterfv(GLenum target, GLenum pname,
                                        GLfloat *params);
GLAPI void APIENTRY glTexEnvf(GLenum target, GLenum pname, GLfloat param);
GLAPI void APIENTRY glTexEnvi(GLenum target, GLenum pname, GLint param);

/* ---- queries ---- */
GLAPI GLenum APIENTRY glGetError(void);
GLAPI const GLubyte *APIENTRY glGetString(GLenum name);
GLAPI void APIENTRY glGetIntegerv(GLenum pname, GLint *params);
GLAPI void APIENTRY glGetFloatv(GLenum pname, GLfloat *params);
GLAPI void APIENTRY glGetBooleanv(GLenum pname, GLboolean *params);

#ifdef __cplusplus
}
#endif
