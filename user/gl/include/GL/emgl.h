/*
 * Ember's GL, the platform side: create a context and read its framebuffer.
 *
 * OpenGL leaves context creation to the window system (GLX, WGL, SDL). Ember
 * has no window system, so the platform layer of a program calls these
 * instead: emgl_create_context() allocates a colour buffer of 32-bit XRGB
 * pixels (0x00RRGGBB, top row first, `width` pixels per row, the layout the
 * seed's blit call takes) and a depth buffer, and makes the context current;
 * after drawing, emgl_framebuffer() hands the pixels to whatever shows them.
 * The library itself makes no system calls besides malloc/free.
 *
 * Portable: built for Ember (musl) and for Linux host tests.
 * See: docs/gl.md
 */
#pragma once

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The largest framebuffer side emgl_create_context() accepts. */
#define EMGL_MAX_SIZE 4096

struct emgl_context;

/*
 * Drawing statistics since the last emgl_reset_stats(), for benchmarks and
 * the engine's "polygons and fragments per frame" figures.
 */
struct emgl_stats {
    uint64_t primitives; /* glBegin/glEnd pairs drawn */
    uint64_t triangles;  /* triangles that reached the rasteriser */
    uint64_t culled;     /* triangles dropped by face culling */
    uint64_t fragments;  /* pixels whose fragment was shaded */
    /*
     * Where the library's time went, in ticks of the clock given to
     * emgl_set_clock() (all zero without one): the platform layer turns
     * them into milliseconds. prim_ticks is all of glEnd, from a
     * primitive's vertices to its pixels; setup_ticks and span_ticks are
     * parts of it (triangle setup; the rows and spans, the per-pixel
     * work), so the vertex stage is prim - setup - span.
     */
    uint64_t prim_ticks;
    uint64_t setup_ticks;
    uint64_t span_ticks;
    uint64_t clear_ticks;  /* glClear */
    uint64_t upload_ticks; /* glTexImage2D, glTexSubImage2D, glCopyTex... */
};

/*
 * Gives the library a clock for the time fields of struct emgl_stats: any
 * counter that only grows, read cheaply (it is read a few times per
 * triangle), in units of the caller's choice. NULL (the default) turns
 * timing off. The library stays free of system calls: the platform layer
 * chooses the clock.
 */
void emgl_set_clock(uint64_t (*now)(void));

/*
 * Creates a context of width x height pixels (1..EMGL_MAX_SIZE each) with
 * the GL 1.1 initial state, a black colour buffer and a depth buffer of
 * 1.0, and makes it current. Returns NULL if a size is out of range or
 * memory runs out.
 */
struct emgl_context *emgl_create_context(int width, int height);

/* Frees a context; if it was current, no context is current afterwards. */
void emgl_destroy_context(struct emgl_context *ctx);

/* Makes ctx (or NULL: none) the context that gl* calls act on. */
void emgl_make_current(struct emgl_context *ctx);

/* The current context, or NULL. */
struct emgl_context *emgl_current(void);

/*
 * The current context's colour buffer: emgl_width() * emgl_height() pixels
 * of 0x00RRGGBB, top row first. NULL (and sizes 0) with no context. Every
 * gl* call has finished drawing when it returns, so the buffer is complete
 * whenever the program looks at it (glFinish is not needed).
 */
uint32_t *emgl_framebuffer(void);
int emgl_width(void);
int emgl_height(void);

/* Statistics of the current context (zeros with no context). */
void emgl_get_stats(struct emgl_stats *out);
void emgl_reset_stats(void);

#ifdef __cplusplus
}
#endif
