/*
 * Stand-in for <SDL_filesystem.h>: where the engine keeps its config and saves.
 *
 * m_config.c asks SDL_GetPrefPath for a per-user folder and frees the answer
 * with SDL_free. Ours is defined in sdl_glue.c over the back end's
 * backend_data_dir(): a fixed folder on Ember's disk, a folder under $HOME
 * on Linux.
 *
 * See: docs/doom.md
 */
#pragma once

#include <stdlib.h>

/*
 * A malloc'd path ending in '/', created if missing (with its parents), or
 * NULL if it can't be made. org and app are accepted and ignored: the
 * folder is the back end's choice. The caller frees it with SDL_free().
 */
char *SDL_GetPrefPath(const char *org, const char *app);

#define SDL_free free
