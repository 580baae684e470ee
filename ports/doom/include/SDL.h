/*
 * Stand-in for <SDL.h>: the rest of SDL that the unmodified engine names.
 *
 * No engine file under src/doom/ calls SDL. What is left is in src/: the
 * headers i_swap.h (endian macros) and i_input.h (an SDL_Event parameter
 * type), m_argv.c's SDL_qsort, m_config.c's SDL_GetPrefPath, and
 * i_system.c's SDL_Quit and SDL_ShowSimpleMessageBox. This folder comes
 * first on the engine's include path, so these small files are found instead
 * of SDL's; sdl_glue.c defines the two functions declared here.
 *
 * See: docs/doom.md
 */
#pragma once

#include <stdint.h>

#include "SDL_endian.h"
#include "SDL_filesystem.h"
#include "SDL_stdinc.h"

/*
 * i_input.h declares two handlers that take an SDL_Event. Our input.c posts
 * the engine's own events and never defines or calls them, so the type only
 * has to exist.
 */
typedef union SDL_Event {
    uint32_t type;
} SDL_Event;

/* The flag i_system.c passes; SDL's value (SDL_messagebox.h). */
#define SDL_MESSAGEBOX_ERROR 0x10

struct SDL_Window;

/*
 * The engine's error box. I_Error has already written the message to
 * stderr, where Ember's console and the tests read it, so ours shows
 * nothing more and returns 0 (SDL's success).
 */
int SDL_ShowSimpleMessageBox(uint32_t flags, const char *title,
                             const char *message, struct SDL_Window *window);

/* Called last by I_Quit and I_Error: makes sure the screen is given back. */
void SDL_Quit(void);
