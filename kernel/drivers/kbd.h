/*
 * The PS/2 keyboard: raw scancodes, decoded key events, typed characters.
 *
 * Context: see each function.
 * See: docs/input.md
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "drivers/keymap.h"

#define KBD_SCANCODE_RING 256 /* raw bytes: a prefix and a code each */
#define KBD_EVENT_RING    128 /* key events */

/*
 * Sets the keyboard up through the controller (ps2.c calls it): scancode
 * set 2, which the controller translates to set 1, LEDs off, scanning on.
 * Returns 0 or -EIO. Boot, interrupts off.
 */
int kbd_init(void);

/* One byte from the keyboard, from ps2.c's interrupt handler. IRQ. */
void kbd_receive(uint8_t byte);

/* Pops the oldest key event into *out; false if none. Any context. */
bool kbd_read_event(struct key_event *out);

/*
 * Pops the oldest raw set-1 byte (prefixes included, replies to LED
 * commands not), or returns -EAGAIN. This is what the seed's syscall 7
 * returns and what DOOM reads. Any context.
 */
int kbd_read_scancode(void);

/*
 * The seed's exclusive screen mode begins (on) or ends: while it lasts, key
 * presses go only to the scancode and event rings, not to the console
 * input queue; both rings are emptied either way. Context: task.
 */
void kbd_set_exclusive(bool on);

#define KBD_DEFAULT_LAYOUT "us"

/*
 * Selects the keyboard layout by name ("us", "uk", "de", "fr"): 0, or
 * -EINVAL for a name there is no layout for. Any context.
 */
int kbd_set_layout(const char *name);

/* The layout's name. */
const char *kbd_layout(void);

struct kbd_stats {
    uint64_t scancode_drops; /* raw bytes lost to a full ring */
    uint64_t event_drops;    /* key events lost to a full ring */
    uint64_t bytes;          /* bytes received since boot */
};

void kbd_get_stats(struct kbd_stats *out);

/* Drops every scancode and key event not yet read. Any context. */
void kbd_flush(void);
