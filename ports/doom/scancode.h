/*
 * PS/2 scancode set 1, decoded: the bytes Ember's raw keyboard call hands
 * a game, turned into key presses and releases. Shared by the DOOM and
 * Quake ports.
 *
 * A keyboard sends a make code on press and the same code with bit 7 set
 * on release; 0xE0 before the extended keys (arrows, home, end, right
 * ctrl and alt, the keypad's enter and slash); and Pause as the six bytes
 * E1 1D 45 E1 9D C5. scancode_feed() takes one byte at a time and says
 * when a key is complete; each port keeps its own tables from make codes
 * to its engine's key numbers. The decoder also tracks the shift keys and
 * knows what shift makes of a US key, for the characters a game types
 * into its console or menus.
 *
 * Context: the game's one thread; a decoder is plain data.
 * See: docs/doom.md, docs/quake.md
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

/* Scancode set 1 (IBM PC AT Technical Reference; OSDev "PS/2 Keyboard"). */
#define SCANCODE_RELEASE  0x80 /* bit 7: the key went up */
#define SCANCODE_CODE     0x7f /* the make code below it */
#define SCANCODE_EXTENDED 0xe0 /* the next code is an extended key */
#define SCANCODE_PAUSE    0xe1 /* Pause: E1 1D 45 (press), E1 9D C5 (up) */
#define SCANCODE_LSHIFT   0x2a
#define SCANCODE_RSHIFT   0x36

/* The decoder's state between bytes; zero it to start. */
struct scancode_decoder {
    bool extended;      /* the last byte was 0xE0 */
    int pause_left;     /* bytes of a Pause sequence still to come */
    bool pause_release; /* that sequence is the release half */
    bool lshift, rshift;
};

/* A key that went down or up. */
struct scancode_key {
    uint8_t code;  /* the make code, 0..SCANCODE_CODE; 0 for Pause */
    bool extended; /* it came after 0xE0: index the E0 table */
    bool pause;    /* the Pause key (no make code of its own) */
    bool pressed;  /* down, else up */
};

/*
 * Feeds one byte to d. Returns true and fills *key when the byte completes
 * a key; false while a sequence is still open (0xE0, Pause's bytes).
 */
bool scancode_feed(struct scancode_decoder *d, uint8_t byte,
                   struct scancode_key *key);

/* Is either shift key held? */
bool scancode_shift_held(const struct scancode_decoder *d);

/*
 * The character shift makes of US key ch (a lower-case letter or an
 * unshifted symbol); ch itself if shift does not change it.
 */
int scancode_us_shifted(int ch);

/*
 * The key number of k in a port's tables: plain[code], e0[code] after
 * 0xE0 (both SCANCODE_CODE + 1 entries; 0 where no key), or pause_key.
 */
int scancode_map(const struct scancode_key *k, const uint8_t *plain,
                 const uint8_t *e0, int pause_key);
