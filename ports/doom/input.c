/*
 * The engine's keyboard and mouse (i_input.h, and I_StartTic of i_video.h):
 * raw scancodes and mouse state from the back end, posted as DOOM events.
 *
 * Keys arrive as PS/2 scancode set 1 bytes, exactly as the keyboard sent
 * them, decoded by scancode.c (prefixes, Pause, release bits, shift; the
 * Quake port uses it too). Two tables map make codes to DOOM's key numbers
 * (doomkeys.h), which are mostly the set 1 code plus 0x80 for non-ASCII
 * keys, so the tables read like the original DOS game's. As with Chocolate
 * Doom's default vanilla_keyboard_mapping, the layout is US: a typed
 * character (data3, only between I_StartTextInput and I_StopTextInput) is
 * the key, shifted while a shift key is held.
 *
 * Mouse: buttons are posted when they change, and the motion gathered over
 * a tic as one event, accelerated past mouse_threshold, as Chocolate Doom
 * does. Ember's dy grows downward, as SDL's does, so forward is -dy.
 *
 * See: docs/doom.md
 */
#include "i_input.h"

#include <stdint.h>

#include "backend.h"
#include "d_event.h"
#include "doomkeys.h"
#include "i_video.h"
#include "m_argv.h"
#include "m_config.h"
#include "scancode.h"

/* Key numbers for plain codes, indexed by the make code. */
static const uint8_t set1_keys[SCANCODE_CODE + 1] = {
    [0x01] = KEY_ESCAPE,    [0x02] = '1',           [0x03] = '2',
    [0x04] = '3',           [0x05] = '4',           [0x06] = '5',
    [0x07] = '6',           [0x08] = '7',           [0x09] = '8',
    [0x0a] = '9',           [0x0b] = '0',           [0x0c] = KEY_MINUS,
    [0x0d] = KEY_EQUALS,    [0x0e] = KEY_BACKSPACE, [0x0f] = KEY_TAB,
    [0x10] = 'q',           [0x11] = 'w',           [0x12] = 'e',
    [0x13] = 'r',           [0x14] = 't',           [0x15] = 'y',
    [0x16] = 'u',           [0x17] = 'i',           [0x18] = 'o',
    [0x19] = 'p',           [0x1a] = '[',           [0x1b] = ']',
    [0x1c] = KEY_ENTER,     [0x1d] = KEY_RCTRL,     [0x1e] = 'a',
    [0x1f] = 's',           [0x20] = 'd',           [0x21] = 'f',
    [0x22] = 'g',           [0x23] = 'h',           [0x24] = 'j',
    [0x25] = 'k',           [0x26] = 'l',           [0x27] = ';',
    [0x28] = '\'',          [0x29] = '`',           [0x2a] = KEY_RSHIFT,
    [0x2b] = '\\',          [0x2c] = 'z',           [0x2d] = 'x',
    [0x2e] = 'c',           [0x2f] = 'v',           [0x30] = 'b',
    [0x31] = 'n',           [0x32] = 'm',           [0x33] = ',',
    [0x34] = '.',           [0x35] = '/',           [0x36] = KEY_RSHIFT,
    [0x37] = KEYP_MULTIPLY, [0x38] = KEY_LALT,      [0x39] = ' ',
    [0x3a] = KEY_CAPSLOCK,  [0x3b] = KEY_F1,        [0x3c] = KEY_F2,
    [0x3d] = KEY_F3,        [0x3e] = KEY_F4,        [0x3f] = KEY_F5,
    [0x40] = KEY_F6,        [0x41] = KEY_F7,        [0x42] = KEY_F8,
    [0x43] = KEY_F9,        [0x44] = KEY_F10,       [0x45] = KEY_NUMLOCK,
    [0x46] = KEY_SCRLCK,    [0x47] = KEYP_7,        [0x48] = KEYP_8,
    [0x49] = KEYP_9,        [0x4a] = KEYP_MINUS,    [0x4b] = KEYP_4,
    [0x4c] = KEYP_5,        [0x4d] = KEYP_6,        [0x4e] = KEYP_PLUS,
    [0x4f] = KEYP_1,        [0x50] = KEYP_2,        [0x51] = KEYP_3,
    [0x52] = KEYP_0,        [0x53] = KEYP_PERIOD,   [0x57] = KEY_F11,
    [0x58] = KEY_F12,
};

/*
 * Key numbers for codes after 0xE0. E0 2A and E0 36 are the "fake shifts"
 * a keyboard wraps around some keys; they map to nothing.
 */
static const uint8_t set1_e0_keys[SCANCODE_CODE + 1] = {
    [0x1c] = KEYP_ENTER,     [0x1d] = KEY_RCTRL, [0x35] = KEYP_DIVIDE,
    [0x37] = KEY_PRTSCR,     [0x38] = KEY_RALT,  [0x47] = KEY_HOME,
    [0x48] = KEY_UPARROW,    [0x49] = KEY_PGUP,  [0x4b] = KEY_LEFTARROW,
    [0x4d] = KEY_RIGHTARROW, [0x4f] = KEY_END,   [0x50] = KEY_DOWNARROW,
    [0x51] = KEY_PGDN,       [0x52] = KEY_INS,   [0x53] = KEY_DEL,
};

/* Variables the engine's config file and menus name. */
float mouse_acceleration = 2.0;
int mouse_threshold = 10;
int vanilla_keyboard_mapping = true;
int novert = 0;

/*
 * The decoder's state between bytes and tics. Only the game's thread
 * touches it (I_StartTic), so there is no lock.
 */
static struct {
    struct scancode_decoder keys;
    boolean text_input;   /* fill data3 of key presses */
    int nomouse;          /* -nomouse; -1 until read */
    unsigned int buttons; /* last posted mouse buttons */
} in = {.text_input = true, .nomouse = -1};

static void post_key(int key, boolean pressed)
{
    event_t ev = {.type = pressed ? ev_keydown : ev_keyup, .data1 = key};

    if (key == 0)
        return;
    if (pressed) {
        ev.data2 = key; /* the "localized" key: US layout, as vanilla */
        if (in.text_input && key < SCANCODE_RELEASE)
            ev.data3 =
                scancode_shift_held(&in.keys) ? scancode_us_shifted(key) : key;
    }
    D_PostEvent(&ev);
}

/* Feeds one scancode byte through the decoder, posting what it completes. */
static void decode_byte(uint8_t byte)
{
    struct scancode_key k;

    if (scancode_feed(&in.keys, byte, &k))
        post_key(scancode_map(&k, set1_keys, set1_e0_keys, KEY_PAUSE),
                 k.pressed);
}

static int accelerate(int val)
{
    if (val < 0)
        return -accelerate(-val);
    if (val > mouse_threshold)
        return (int)((val - mouse_threshold) * mouse_acceleration +
                     mouse_threshold);
    return val;
}

static void read_mouse(void)
{
    unsigned int buttons = backend_mouse_buttons();
    int dx, dy;

    /* Ember's button bits are DOOM's: left 0, right 1, middle 2. */
    if (buttons != in.buttons) {
        event_t ev = {.type = ev_mouse, .data1 = (int)buttons};

        in.buttons = buttons;
        D_PostEvent(&ev);
    }
    backend_mouse_motion(&dx, &dy);
    if (dx != 0 || dy != 0) {
        event_t ev = {
            .type = ev_mouse,
            .data1 = (int)in.buttons,
            .data2 = accelerate(dx),
            .data3 = novert ? 0 : -accelerate(dy),
        };

        D_PostEvent(&ev);
    }
}

void I_StartTic(void)
{
    uint8_t byte;

    while ((byte = backend_next_scancode()) != 0)
        decode_byte(byte);
    if (in.nomouse < 0)
        in.nomouse = M_ParmExists("-nomouse");
    if (usemouse && !in.nomouse)
        read_mouse();
}

void I_ReadMouse(void)
{
    read_mouse();
}

void I_StartTextInput(int x1, int y1, int x2, int y2)
{
    (void)x1;
    (void)y1;
    (void)x2;
    (void)y2;
    in.text_input = true;
}

void I_StopTextInput(void)
{
    in.text_input = false;
}

void I_BindInputVariables(void)
{
    M_BindFloatVariable("mouse_acceleration", &mouse_acceleration);
    M_BindIntVariable("mouse_threshold", &mouse_threshold);
    M_BindIntVariable("vanilla_keyboard_mapping", &vanilla_keyboard_mapping);
    M_BindIntVariable("novert", &novert);
}
