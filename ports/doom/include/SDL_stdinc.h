/*
 * Stand-in for <SDL_stdinc.h>: SDL's C library wrappers that the engine uses.
 *
 * Only m_argv.c's SDL_qsort is left outside Windows-only code; it is the C
 * library's qsort under SDL's name, as SDL itself builds it on Linux.
 *
 * See: docs/doom.md
 */
#pragma once

#include <stdlib.h>

#define SDL_qsort qsort
