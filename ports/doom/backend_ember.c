/*
 * The Ember back end: the port's screen, keys and mouse through Ember's own
 * calls (user/include/ember.h, the seed's `int 0x80` door).
 *
 * Each function is one call: the frame goes to call 10, which scales it by
 * the largest integer factor that fits and centres it, keys come raw from
 * call 7 and the mouse from calls 21 and 22. Exclusive screen mode (calls
 * 16 and 17) keeps the console off the framebuffer and sends every key to
 * the scancode queue while the game runs; if the game dies holding it, the
 * kernel gives it back. Time and sleep are in backend_time.c.
 *
 * See: docs/doom.md
 */
#include "backend.h"

#include <ember.h>
#include <stdlib.h>

/* Config and saves; the engine creates it on first use. */
#define EMBER_DOOM_DATA_DIR "/var/games/doom/"

static struct {
    int entered; /* holds exclusive screen mode */
} screen;

int backend_screen_enter(void)
{
    long err = ember_screen_enter();

    if (err < 0)
        return (int)err;
    screen.entered = 1;
    return 0;
}

void backend_screen_leave(void)
{
    if (!screen.entered)
        return;
    ember_screen_leave();
    screen.entered = 0;
}

int backend_present(const uint32_t *pixels, uint32_t width, uint32_t height)
{
    return (int)ember_blit(pixels, width, height);
}

uint8_t backend_next_scancode(void)
{
    return ember_scancode();
}

void backend_mouse_motion(int *dx, int *dy)
{
    ember_mouse_delta(dx, dy);
}

unsigned int backend_mouse_buttons(void)
{
    /* Ember's bits are the back end's: left 0, right 1, middle 2. */
    return ember_mouse_buttons() &
           (BACKEND_MOUSE_LEFT | BACKEND_MOUSE_RIGHT | BACKEND_MOUSE_MIDDLE);
}

const char *backend_data_dir(void)
{
    const char *dir = getenv("EMBER_DOOM_DIR");

    return dir != NULL && dir[0] != '\0' ? dir : EMBER_DOOM_DATA_DIR;
}
