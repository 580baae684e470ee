/*
 * File globbing (i_glob.h), switched off: every search finds nothing.
 *
 * The engine globs only to autoload extra WADs and DeHackEd files from
 * folders under its config directory, an option this port does not offer;
 * -file and -deh still load what they name.
 *
 * See: docs/doom.md
 */
#include "i_glob.h"

#include <stddef.h>

glob_t *I_StartGlob(const char *directory, const char *glob, int flags)
{
    (void)directory;
    (void)glob;
    (void)flags;
    return NULL;
}

glob_t *I_StartMultiGlob(const char *directory, int flags, const char *glob,
                         ...)
{
    (void)directory;
    (void)flags;
    (void)glob;
    return NULL;
}

void I_EndGlob(glob_t *glob)
{
    (void)glob;
}

const char *I_NextGlob(glob_t *glob)
{
    (void)glob;
    return NULL;
}
