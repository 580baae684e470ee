/*
 * The Linux back end, headless: the port runs on the host without a window,
 * so the demo tests can replay demos there and compare with Ember.
 *
 * Frames are counted and dropped (the platform layer has already converted
 * each one to XRGB, so a timedemo does the same work as on Ember up to the
 * blit). There is no keyboard or mouse: a demo supplies the player's input.
 * If EMBER_DOOM_FRAME names a file, the last frame is kept and written
 * there as a binary PPM when the screen is given back, to look at what the
 * engine drew. Time and sleep are in backend_time.c.
 *
 * See: docs/doom.md
 */
#include "backend.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The largest frame the port presents: 320x240 with aspect correction. */
#define HOST_MAX_PIXELS  (320 * 240)
/* An XRGB pixel: 0x00RRGGBB. */
#define XRGB_RED_SHIFT   16
#define XRGB_GREEN_SHIFT 8
#define XRGB_MASK        0xff

static struct {
    unsigned long frames;  /* presented since start; statistics only */
    const char *dump_path; /* EMBER_DOOM_FRAME, or NULL */
    uint32_t last[HOST_MAX_PIXELS];
    uint32_t width, height; /* of last */
} host;

int backend_screen_enter(void)
{
    host.dump_path = getenv("EMBER_DOOM_FRAME");
    return 0;
}

/* Writes the last frame as a binary PPM (P6), 8 bits a channel. */
static void dump_frame(const char *path)
{
    FILE *f = fopen(path, "wb");

    if (f == NULL)
        return;
    fprintf(f, "P6\n%u %u\n255\n", host.width, host.height);
    for (uint32_t i = 0; i < host.width * host.height; i++) {
        uint32_t px = host.last[i];
        unsigned char rgb[] = {px >> XRGB_RED_SHIFT & XRGB_MASK,
                               px >> XRGB_GREEN_SHIFT & XRGB_MASK,
                               px & XRGB_MASK};

        fwrite(rgb, 1, sizeof rgb, f);
    }
    fclose(f);
}

void backend_screen_leave(void)
{
    if (host.dump_path != NULL && host.frames > 0)
        dump_frame(host.dump_path);
    host.dump_path = NULL;
}

int backend_present(const uint32_t *pixels, uint32_t width, uint32_t height)
{
    host.frames++;
    if (host.dump_path != NULL && width * height <= HOST_MAX_PIXELS) {
        memcpy(host.last, pixels, sizeof(uint32_t) * width * height);
        host.width = width;
        host.height = height;
    }
    return 0;
}

uint8_t backend_next_scancode(void)
{
    return 0;
}

void backend_mouse_motion(int *dx, int *dy)
{
    *dx = 0;
    *dy = 0;
}

unsigned int backend_mouse_buttons(void)
{
    return 0;
}

const char *backend_data_dir(void)
{
    static char path[PATH_MAX];
    const char *dir = getenv("EMBER_DOOM_DIR");
    const char *home = getenv("HOME");

    if (dir != NULL && dir[0] != '\0')
        return dir;
    /* Where SDL_GetPrefPath puts it on Linux, under a name of our own. */
    snprintf(path, sizeof path, "%s/.local/share/ember-doom/",
             home != NULL ? home : ".");
    return path;
}
