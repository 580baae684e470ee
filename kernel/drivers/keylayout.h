/*
 * Keyboard layouts: what each key types on a US, UK, German or French
 * keyboard, as Unicode code points.
 *
 * The decoder (kernel/drivers/keymap.c) knows the US layout from its table
 * of keys; a layout here lists only the keys that differ from it, each with
 * what it types alone, with shift and with AltGr (the right alt key).
 * Dead keys are not composed: the German ^ and the French ^ and ¨ type
 * their own spacing characters.
 *
 * Portable: also built into tests/host/test_keymap.c.
 * See: docs/console.md
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#define KEYLAYOUT_NAME_MAX 8 /* "us", "uk", "de", "fr" and a NUL */

/* One key that differs from the US layout; 0: types nothing. */
struct keylayout_key {
    uint16_t code; /* KEY_* (the set-1 make code) */
    uint16_t normal, shifted, altgr;
};

struct keylayout {
    const char *name;
    const struct keylayout_key *keys;
    size_t count;
};

/* The layout called name ("us", "uk", "de", "fr"), or NULL. */
const struct keylayout *keylayout_find(const char *name);

/* The entry for key code in layout l, or NULL if it types as in the US. */
const struct keylayout_key *keylayout_key(const struct keylayout *l,
                                          uint16_t code);
