/*
 * Stand-in for <SDL_endian.h>: the byte-order macros of the engine's i_swap.h.
 *
 * WAD files are little-endian and so is x86_64, so every "swap to little
 * endian" is the identity, exactly as SDL defines it on this CPU. The
 * engine's SHORT() and LONG() add their own casts to signed types around
 * these. The big-endian swaps (only the MIDI code, which we do not build,
 * uses them) are spelled with gcc's byte-swap built-ins for completeness.
 *
 * See: docs/doom.md
 */
#pragma once

#include <stdint.h>

#define SDL_LIL_ENDIAN 1234
#define SDL_BIG_ENDIAN 4321
#define SDL_BYTEORDER  SDL_LIL_ENDIAN

#define SDL_SwapLE16(x) (x)
#define SDL_SwapLE32(x) (x)
#define SDL_SwapBE16(x) __builtin_bswap16((uint16_t)(x))
#define SDL_SwapBE32(x) __builtin_bswap32((uint32_t)(x))
