/*
 * Matrix helpers shared by the matrix calls and the vertex pipeline.
 *
 * Portable: built for Ember (musl) and for Linux host tests.
 * See: docs/gl.md
 */
#pragma once

#include "gl_context.h"

/* Sets m to the identity. */
void gl_matrix_identity(struct gl_matrix *m);

/* out = a * b (column-major; out may alias neither a nor b). */
void gl_matrix_mul(struct gl_matrix *out, const struct gl_matrix *a,
                   const struct gl_matrix *b);

/* out = m * in, for a column vector of 4 (out must not alias in). */
void gl_matrix_apply(const struct gl_matrix *m, const float in[4],
                     float out[4]);

/* The top of the stack glMatrixMode selected. */
struct gl_matrix *gl_matrix_top(struct emgl_context *c);
