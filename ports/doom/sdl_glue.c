/*
 * The three SDL functions the unmodified engine still calls, over the back
 * end: SDL_GetPrefPath (m_config.c), SDL_Quit and SDL_ShowSimpleMessageBox
 * (i_system.c).
 *
 * The names and signatures are SDL's, declared by our stand-in headers in
 * include/, so these functions carry no prefix of ours.
 *
 * See: docs/doom.md
 */
#include "SDL.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include "backend.h"

#define PREF_DIR_MODE 0755

/* mkdir -p: makes path and every missing parent. 0 or -errno. */
static int make_dirs(char *path)
{
    for (char *p = path + 1;; p++) {
        if (*p != '/' && *p != '\0')
            continue;
        char saved = *p;
        *p = '\0';
        int err =
            mkdir(path, PREF_DIR_MODE) == 0 || errno == EEXIST ? 0 : -errno;
        *p = saved;
        if (err < 0)
            return err;
        if (saved == '\0' || p[1] == '\0')
            return 0;
    }
}

char *SDL_GetPrefPath(const char *org, const char *app)
{
    const char *dir = backend_data_dir();
    size_t len = strlen(dir);
    char *path = malloc(len + 2);

    (void)org;
    (void)app;
    if (path == NULL)
        return NULL;
    memcpy(path, dir, len + 1);
    if (len == 0 || path[len - 1] != '/')
        strcat(path, "/");
    if (make_dirs(path) < 0) {
        free(path);
        return NULL;
    }
    return path;
}

int SDL_ShowSimpleMessageBox(uint32_t flags, const char *title,
                             const char *message, struct SDL_Window *window)
{
    (void)flags;
    (void)title;
    (void)message;
    (void)window;
    return 0;
}

void SDL_Quit(void)
{
    /*
     * I_Quit and I_Error have run the exit hooks, I_ShutdownGraphics among
     * them; this covers an exit before it was registered.
     */
    backend_screen_leave();
}
