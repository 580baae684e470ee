/*
 * Stand-in for <SDL.h>: the little of SDL 1.2 that the unmodified engine
 * names outside its platform files.
 *
 * quakedef.h includes "SDL.h" and "SDL_opengl.h" in every engine file; this
 * folder comes first on the engine's include path, so these small files are
 * found instead of SDL's. Only two engine files use SDL itself: miniz.h
 * reads SDL_BYTEORDER, and common.c's LOC_LoadFile reads an optional
 * localisation file through SDL_RWops (SDL 1.2's form: USE_SDL2 is not
 * defined). ports/quake/sdl_rwops.c implements those calls over stdio.
 * Everything else SDL did (window, input, sound, threads) is replaced by
 * our platform files, which never include this header.
 *
 * See: docs/quake.md
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

/* The calling convention marker of SDL's callbacks: nothing on x86_64. */
#define SDLCALL

typedef int8_t Sint8;
typedef uint8_t Uint8;
typedef int16_t Sint16;
typedef uint16_t Uint16;
typedef int32_t Sint32;
typedef uint32_t Uint32;
typedef int64_t Sint64;
typedef uint64_t Uint64;

/* Byte order (SDL_endian.h's values): x86_64 is little-endian. */
#define SDL_LIL_ENDIAN 1234
#define SDL_BIG_ENDIAN 4321
#define SDL_BYTEORDER  SDL_LIL_ENDIAN

/* Seek origins: stdio's SEEK_SET, SEEK_CUR, SEEK_END, as SDL 1.2 has them. */
#define RW_SEEK_SET 0
#define RW_SEEK_CUR 1
#define RW_SEEK_END 2

/* A file opened for reading; what is inside belongs to sdl_rwops.c. */
typedef struct SDL_RWops SDL_RWops;

/* Opens path with fopen's mode; NULL if it can't be opened. */
SDL_RWops *SDL_RWFromFile(const char *path, const char *mode);

/* Moves to offset from whence (RW_SEEK_*); the new position, or -1. */
int SDL_RWseek(SDL_RWops *rw, int offset, int whence);

/* The position, or -1. */
int SDL_RWtell(SDL_RWops *rw);

/* Reads up to count objects of size bytes; how many were read, or -1. */
int SDL_RWread(SDL_RWops *rw, void *buf, int size, int count);

/* Closes the file and frees rw; 0, or -1 if the close failed. */
int SDL_RWclose(SDL_RWops *rw);
