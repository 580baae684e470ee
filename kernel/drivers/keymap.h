/*
 * Scancode set 1 to key events: key codes, press/release, modifiers and the
 * character a key types in the chosen layout (US unless one of
 * kernel/drivers/keylayout.c is set).
 *
 * A key code is the key's set-1 make code, with 0x100 added for keys sent
 * behind an E0 prefix and 0x200 for Pause (the one E1 key). So keypad 8 is
 * 0x048 and the up arrow, which shares its make code, is 0x148. Names follow
 * QEMU's QKeyCode names ("a", "shift_r", "kp_8", "up"), which lets the
 * system tests compare what they sent with what the kernel saw.
 *
 * The constants use the KEY_ prefix rather than KEYMAP_: they name keys, and
 * every reader knows them by that prefix (Linux, SDL, DOOM).
 *
 * Portable: also built into tests/host/test_keymap.c.
 * See: docs/input.md
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#define KEYMAP_E0_PREFIX 0xe0
#define KEYMAP_E1_PREFIX 0xe1
#define KEYMAP_BREAK_BIT 0x80 /* set 1: break code = make code | 0x80 */
#define KEY_E0           0x100
#define KEY_E1           0x200
#define KEY_CODES        0x300 /* every key code is below this */

/* Keys with a meaning beyond their character, and the modifiers. */
#define KEY_ESC         0x01
#define KEY_BACKSPACE   0x0e
#define KEY_TAB         0x0f
#define KEY_ENTER       0x1c
#define KEY_CTRL        0x1d
#define KEY_A           0x1e
#define KEY_SHIFT       0x2a
#define KEY_SHIFT_R     0x36
#define KEY_ALT         0x38
#define KEY_SPACE       0x39
#define KEY_CAPS_LOCK   0x3a
#define KEY_F1          0x3b
#define KEY_F10         0x44
#define KEY_NUM_LOCK    0x45
#define KEY_SCROLL_LOCK 0x46
#define KEY_KP_7        0x47
#define KEY_KP_SUBTRACT 0x4a
#define KEY_KP_ADD      0x4e
#define KEY_KP_DECIMAL  0x53
#define KEY_F11         0x57
#define KEY_F12         0x58
#define KEY_KP_ENTER    (KEY_E0 | 0x1c)
#define KEY_CTRL_R      (KEY_E0 | 0x1d)
#define KEY_KP_DIVIDE   (KEY_E0 | 0x35)
#define KEY_PRINT       (KEY_E0 | 0x37)
#define KEY_ALT_R       (KEY_E0 | 0x38)
#define KEY_HOME        (KEY_E0 | 0x47)
#define KEY_UP          (KEY_E0 | 0x48)
#define KEY_PGUP        (KEY_E0 | 0x49)
#define KEY_LEFT        (KEY_E0 | 0x4b)
#define KEY_RIGHT       (KEY_E0 | 0x4d)
#define KEY_END         (KEY_E0 | 0x4f)
#define KEY_DOWN        (KEY_E0 | 0x50)
#define KEY_PGDN        (KEY_E0 | 0x51)
#define KEY_INSERT      (KEY_E0 | 0x52)
#define KEY_DELETE      (KEY_E0 | 0x53)
#define KEY_META_L      (KEY_E0 | 0x5b)
#define KEY_META_R      (KEY_E0 | 0x5c)
#define KEY_MENU        (KEY_E0 | 0x5d)
#define KEY_PAUSE       (KEY_E1 | 0x45)

/* Modifier state carried in every event (after the event took effect). */
#define KEYMAP_MOD_SHIFT 0x01
#define KEYMAP_MOD_CTRL  0x02
#define KEYMAP_MOD_ALT   0x04
#define KEYMAP_MOD_CAPS  0x08 /* caps lock on */
#define KEYMAP_MOD_NUM   0x10 /* num lock on */

/* Event flags. */
#define KEYMAP_EV_PRESS  0x01 /* a make code; clear for a release */
#define KEYMAP_EV_REPEAT 0x02 /* a make code for a key already down */

struct key_event {
    uint16_t code;   /* KEY_* */
    uint8_t flags;   /* KEYMAP_EV_* */
    uint8_t mods;    /* KEYMAP_MOD_* */
    uint8_t ch;      /* the ASCII byte the key types, 0 if none or not ASCII */
    uint16_t cp;     /* the Unicode code point it types, 0 if none */
    uint16_t before; /* a dead key's accent that did not compose, typed
                        before cp; 0 if none */
};

/*
 * The decoder's state: where it is in a multi-byte sequence, which
 * modifier keys are held, the lock states, and which keys are down (to
 * mark the keyboard's own repeats).
 */
struct keymap_state {
    uint8_t prefix;   /* 0, or the E0/E1 byte that started a sequence */
    uint8_t e1_first; /* E1 sequences: the byte after E1 */
    uint8_t e1_count; /* E1 sequences: bytes seen after E1 */
    uint8_t held;     /* which of the six modifier keys are down */
    uint8_t locks;    /* KEYMAP_MOD_CAPS | KEYMAP_MOD_NUM */
    uint32_t down[KEY_CODES / 32];
    const struct keylayout *layout; /* NULL: the US layout */
    uint16_t dead; /* a dead key's accent, waiting for the next key */
};

struct keylayout;

/*
 * Resets st: nothing held, no lock on, no sequence in progress, the US
 * layout.
 */
void keymap_init(struct keymap_state *st);

/* Selects a layout (kernel/drivers/keylayout.h); NULL for the US one. */
void keymap_set_layout(struct keymap_state *st, const struct keylayout *l);

/*
 * Feeds one byte from the keyboard. Returns true and fills *ev when the
 * byte completes a key event; prefixes, the middle of the Pause sequence,
 * the fake shifts some keys are wrapped in (E0 2A, E0 AA, E0 36, E0 B6) and
 * unknown codes return false.
 */
bool keymap_feed(struct keymap_state *st, uint8_t byte, struct key_event *ev);

/* The current KEYMAP_MOD_* bits. */
uint8_t keymap_mods(const struct keymap_state *st);

/* QEMU's name for a key code ("a", "kp_8", "up"), or NULL if unknown. */
const char *keymap_name(uint16_t code);
