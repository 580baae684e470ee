/*
 * SDL_RWops over stdio: the file calls common.c's LOC_LoadFile makes.
 *
 * The engine reads its optional localisation file (an id1/localized text,
 * or one inside a QuakeEX.kpf zip) through SDL 1.2's SDL_RWops. Those calls
 * are thin wrappers of fopen, fseek, ftell, fread and fclose, so that is
 * what they are here; SDL.h in this port's include/ declares them. The
 * shareware and the test game have no such file, and the engine only
 * reports that it could not load it.
 *
 * Context: the game's one thread.
 * See: docs/quake.md
 */
#include "SDL.h"

#include <stdio.h>
#include <stdlib.h>

struct SDL_RWops {
    FILE *file;
};

SDL_RWops *SDL_RWFromFile(const char *path, const char *mode)
{
    SDL_RWops *rw = malloc(sizeof *rw);

    if (rw == NULL)
        return NULL;
    rw->file = fopen(path, mode);
    if (rw->file == NULL) {
        free(rw);
        return NULL;
    }
    return rw;
}

int SDL_RWseek(SDL_RWops *rw, int offset, int whence)
{
    if (fseek(rw->file, offset, whence) != 0)
        return -1;
    return SDL_RWtell(rw);
}

int SDL_RWtell(SDL_RWops *rw)
{
    long pos = ftell(rw->file);

    return pos < 0 ? -1 : (int)pos;
}

int SDL_RWread(SDL_RWops *rw, void *buf, int size, int count)
{
    if (size <= 0 || count <= 0)
        return 0;
    return (int)fread(buf, (size_t)size, (size_t)count, rw->file);
}

int SDL_RWclose(SDL_RWops *rw)
{
    int err = fclose(rw->file);

    free(rw);
    return err == 0 ? 0 : -1;
}
