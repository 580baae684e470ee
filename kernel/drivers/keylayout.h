/*
 * Keyboard layouts: what each key types on a US, UK, German or French
 * keyboard, as Unicode code points.
 *
 * The decoder (kernel/drivers/keymap.c) knows the US layout from its table
 * of keys; a layout here lists only the keys that differ from it, each with
 * what it types alone, with shift and with AltGr (the right alt key).
 * Dead keys (the German ^ ´ `, the French ^ ¨) type nothing alone: the
 * next key composes with them (keylayout_compose()).
 *
 * Portable: also built into tests/host/test_keymap.c.
 * See: docs/console.md
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#define KEYLAYOUT_NAME_MAX 8 /* "us", "uk", "de", "fr" and a NUL */

#define KEYLAYOUT_DEAD_NORMAL  1 /* the key alone is a dead key */
#define KEYLAYOUT_DEAD_SHIFTED 2 /* with shift */

/* One key that differs from the US layout; 0: types nothing. */
struct keylayout_key {
    uint16_t code; /* KEY_* (the set-1 make code) */
    uint16_t normal, shifted, altgr;
    uint8_t dead; /* KEYLAYOUT_DEAD_*: which levels are dead keys */
};

struct keylayout {
    const char *name;
    const struct keylayout_key *keys;
    size_t count;
};

/* The layout called name ("us", "uk", "de", "fr"), or NULL. */
const struct keylayout *keylayout_find(const char *name);

/*
 * What a dead key's accent (^ U+005E, ´ U+00B4, ` U+0060, ¨ U+00A8) and
 * the next character make: the accented letter (ê, é, è, ë, in both
 * cases), the accent itself after a space or the same dead key, or 0
 * when they do not compose (the accent and the character are then both
 * typed, as on Linux).
 */
uint16_t keylayout_compose(uint16_t accent, uint16_t next);

/* The entry for key code in layout l, or NULL if it types as in the US. */
const struct keylayout_key *keylayout_key(const struct keylayout *l,
                                          uint16_t code);
