/*
 * The back-end interface: everything the DOOM port needs from the system
 * under it, and nothing more.
 *
 * The platform layer (video.c, input.c, timer.c, sdl_glue.c) turns the
 * engine's I_* calls into these few functions, so the same engine and
 * platform objects link into both programs: backend_ember.c implements them
 * with Ember's own calls (user/include/ember.h), backend_host.c for Linux
 * (headless for now: frames are counted, no input). Time and sleep come
 * from clock_gettime and nanosleep on both systems (backend_time.c), so the
 * timing code the demo tests exercise on Linux is the code that runs on
 * Ember. Keys are PS/2 scancode set 1 bytes, Ember's raw form; a host back
 * end with a window would translate its keys into them.
 *
 * Context: the game's one thread; none of these may be called from a
 * signal handler.
 * See: docs/doom.md
 */
#pragma once

#include <stdint.h>

/* Mouse buttons as backend_mouse_buttons() reports them (Ember call 22). */
#define BACKEND_MOUSE_LEFT   0x1
#define BACKEND_MOUSE_RIGHT  0x2
#define BACKEND_MOUSE_MIDDLE 0x4

/*
 * Takes the screen for the game (Ember: exclusive screen mode, where the
 * console leaves the framebuffer alone and keys go only to the scancode
 * queue). Returns 0, or a negative errno if the screen can't be had.
 */
int backend_screen_enter(void);

/* Gives the screen back to the console. Safe to call when not entered. */
void backend_screen_leave(void);

/*
 * Shows one frame of width x height XRGB pixels (0x00RRGGBB), rows packed.
 * The back end scales and centres it. Returns 0 or a negative errno.
 */
int backend_present(const uint32_t *pixels, uint32_t width, uint32_t height);

/*
 * The next raw key byte, scancode set 1 as the keyboard sent it (0xE0 and
 * 0xE1 prefixes included; bit 7 set on release), or 0 if none is waiting.
 */
uint8_t backend_next_scancode(void);

/*
 * The mouse movement since the last call, dy positive downward; *dx and *dy
 * are 0 when it did not move.
 */
void backend_mouse_motion(int *dx, int *dy);

/* The buttons held now, a mask of BACKEND_MOUSE_*. */
unsigned int backend_mouse_buttons(void);

/* Milliseconds on a monotonic clock; only differences mean anything. */
uint64_t backend_now_ms(void);

/* Sleeps at least ms milliseconds, giving the CPU away meanwhile. */
void backend_sleep_ms(uint32_t ms);

/*
 * The folder for the config and saved games, ending in '/'. It may not
 * exist yet. The string is static: don't free it.
 */
const char *backend_data_dir(void);
