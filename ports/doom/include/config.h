/*
 * The engine's build configuration, written by hand in place of the one
 * Chocolate Doom's configure script generates.
 *
 * The names and values are those of the upstream configure.ac for this
 * version (AC_INIT "Chocolate Doom", 3.0.0). Left out on purpose:
 * HAVE_MMAP (the engine then reads WADs through stdio, w_file_stdc.c, so the
 * port needs no file mappings), HAVE_LIBPNG and HAVE_LIBSAMPLERATE (not
 * linked; screenshots are PCX), and the SDL_mixer/SDL_net features, whose
 * engine files we do not compile at all.
 *
 * See: docs/doom.md
 */
#pragma once

#define PACKAGE_NAME    "Chocolate Doom"
#define PACKAGE_TARNAME "chocolate-doom"
#define PACKAGE_VERSION "3.0.0"
#define PACKAGE_STRING  "Chocolate Doom 3.0.0"
#define PROGRAM_PREFIX  "chocolate-"

/* musl and glibc both declare these in <strings.h>. */
#define HAVE_DECL_STRCASECMP  1
#define HAVE_DECL_STRNCASECMP 1
