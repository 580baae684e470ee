/*
 * Temporary entry points so that programs link while the rasteriser is
 * written; each is replaced by its real file.
 *
 * Portable: built for Ember (musl) and for Linux host tests.
 * See: docs/gl.md
 */
#include "GL/gl.h"

void glBegin(GLenum mode)
{
    (void)mode;
}

void glEnd(void)
{
}

void glVertex2f(GLfloat x, GLfloat y)
{
    (void)x;
    (void)y;
}

void glVertex2i(GLint x, GLint y)
{
    (void)x;
    (void)y;
}

void glVertex2fv(const GLfloat *v)
{
    (void)v;
}

void glVertex3f(GLfloat x, GLfloat y, GLfloat z)
{
    (void)x;
    (void)y;
    (void)z;
}

void glVertex3fv(const GLfloat *v)
{
    (void)v;
}

void glVertex4f(GLfloat x, GLfloat y, GLfloat z, GLfloat w)
{
    (void)x;
    (void)y;
    (void)z;
    (void)w;
}

void glTexCoord2f(GLfloat s, GLfloat t)
{
    (void)s;
    (void)t;
}

void glTexCoord2fv(const GLfloat *v)
{
    (void)v;
}

void glColor3f(GLfloat r, GLfloat g, GLfloat b)
{
    (void)r;
    (void)g;
    (void)b;
}

void glColor3fv(const GLfloat *v)
{
    (void)v;
}

void glColor3ub(GLubyte r, GLubyte g, GLubyte b)
{
    (void)r;
    (void)g;
    (void)b;
}

void glColor3ubv(const GLubyte *v)
{
    (void)v;
}

void glColor4f(GLfloat r, GLfloat g, GLfloat b, GLfloat a)
{
    (void)r;
    (void)g;
    (void)b;
    (void)a;
}

void glColor4fv(const GLfloat *v)
{
    (void)v;
}

void glColor4ub(GLubyte r, GLubyte g, GLubyte b, GLubyte a)
{
    (void)r;
    (void)g;
    (void)b;
    (void)a;
}

void glColor4ubv(const GLubyte *v)
{
    (void)v;
}

void glDrawElements(GLenum mode, GLsizei count, GLenum type,
                    const GLvoid *indices)
{
    (void)mode;
    (void)count;
    (void)type;
    (void)indices;
}

void glViewport(GLint x, GLint y, GLsizei width, GLsizei height)
{
    (void)x;
    (void)y;
    (void)width;
    (void)height;
}

void glDepthRange(GLclampd near_val, GLclampd far_val)
{
    (void)near_val;
    (void)far_val;
}

void glEnable(GLenum cap)
{
    (void)cap;
}

void glDisable(GLenum cap)
{
    (void)cap;
}

GLboolean glIsEnabled(GLenum cap)
{
    (void)cap;
    return 0;
}

void glAlphaFunc(GLenum func, GLclampf ref)
{
    (void)func;
    (void)ref;
}

void glBlendFunc(GLenum sfactor, GLenum dfactor)
{
    (void)sfactor;
    (void)dfactor;
}

void glDepthFunc(GLenum func)
{
    (void)func;
}

void glDepthMask(GLboolean flag)
{
    (void)flag;
}

void glColorMask(GLboolean red, GLboolean green, GLboolean blue,
                 GLboolean alpha)
{
    (void)red;
    (void)green;
    (void)blue;
    (void)alpha;
}

void glScissor(GLint x, GLint y, GLsizei width, GLsizei height)
{
    (void)x;
    (void)y;
    (void)width;
    (void)height;
}

void glCullFace(GLenum mode)
{
    (void)mode;
}

void glFrontFace(GLenum mode)
{
    (void)mode;
}

void glPolygonMode(GLenum face, GLenum mode)
{
    (void)face;
    (void)mode;
}

void glPolygonOffset(GLfloat factor, GLfloat units)
{
    (void)factor;
    (void)units;
}

void glShadeModel(GLenum mode)
{
    (void)mode;
}

void glHint(GLenum target, GLenum mode)
{
    (void)target;
    (void)mode;
}

void glStencilFunc(GLenum func, GLint ref, GLuint mask)
{
    (void)func;
    (void)ref;
    (void)mask;
}

void glStencilOp(GLenum fail, GLenum zfail, GLenum zpass)
{
    (void)fail;
    (void)zfail;
    (void)zpass;
}

void glClearStencil(GLint s)
{
    (void)s;
}

void glFogf(GLenum pname, GLfloat param)
{
    (void)pname;
    (void)param;
}

void glFogi(GLenum pname, GLint param)
{
    (void)pname;
    (void)param;
}

void glFogfv(GLenum pname, const GLfloat *params)
{
    (void)pname;
    (void)params;
}

void glClear(GLbitfield mask)
{
    (void)mask;
}

void glClearColor(GLclampf red, GLclampf green, GLclampf blue, GLclampf alpha)
{
    (void)red;
    (void)green;
    (void)blue;
    (void)alpha;
}

void glClearDepth(GLclampd depth)
{
    (void)depth;
}

void glReadPixels(GLint x, GLint y, GLsizei width, GLsizei height,
                  GLenum format, GLenum type, GLvoid *pixels)
{
    (void)x;
    (void)y;
    (void)width;
    (void)height;
    (void)format;
    (void)type;
    (void)pixels;
}

void glPixelStorei(GLenum pname, GLint param)
{
    (void)pname;
    (void)param;
}

void glFinish(void)
{
}

void glFlush(void)
{
}

void glCopyTexSubImage2D(GLenum target, GLint level, GLint xoffset,
                         GLint yoffset, GLint x, GLint y, GLsizei width,
                         GLsizei height)
{
    (void)target;
    (void)level;
    (void)xoffset;
    (void)yoffset;
    (void)x;
    (void)y;
    (void)width;
    (void)height;
}

GLenum glGetError(void)
{
    return 0;
}

const GLubyte *glGetString(GLenum name)
{
    (void)name;
    return 0;
}

void glGetIntegerv(GLenum pname, GLint *params)
{
    (void)pname;
    (void)params;
}

void glGetFloatv(GLenum pname, GLfloat *params)
{
    (void)pname;
    (void)params;
}

void glGetBooleanv(GLenum pname, GLboolean *params)
{
    (void)pname;
    (void)params;
}
