/*
 * The engine's keyboard and mouse (input.h): raw scancodes and mouse state
 * from the back end, turned into Key_Event, Char_Event and view motion.
 *
 * Keys arrive as PS/2 scancode set 1 bytes, as the keyboard sent them,
 * decoded by the DOOM port's scancode.c (shared by both ports: prefixes,
 * Pause, release bits, shift). Two tables map the make codes
 * to Quake's key numbers (keys.h: lower-case ASCII for the printing keys,
 * K_* above 127 for the rest), read as the US layout, as the engine's SDL2
 * build reads scancodes. While the engine wants text (Key_TextEntry: the
 * console, a chat line, a menu's text field), a press also types its
 * character, shifted while a shift key is held, through Char_Event.
 *
 * The mouse: button changes become K_MOUSE1-3 events; motion is summed
 * between frames and IN_Move turns it into yaw, pitch (with +mlook) or
 * forward motion, scaled by the engine's sensitivity and m_* cvars.
 * Ember's dy grows downward, as SDL's does.
 *
 * Context: the game's one thread (Sys_SendKeyEvents, CL_SendMove).
 * See: docs/quake.md
 */
#include "quakedef.h"

#include "backend.h"
#include "scancode.h"

#include <stdint.h>

#define ASCII_FIRST ' '
#define ASCII_LAST  '~'

/* Quake key numbers for plain codes, indexed by the make code. */
static const uint8_t set1_keys[SCANCODE_CODE + 1] = {
    [0x01] = K_ESCAPE,
    [0x02] = '1',
    [0x03] = '2',
    [0x04] = '3',
    [0x05] = '4',
    [0x06] = '5',
    [0x07] = '6',
    [0x08] = '7',
    [0x09] = '8',
    [0x0a] = '9',
    [0x0b] = '0',
    [0x0c] = '-',
    [0x0d] = '=',
    [0x0e] = K_BACKSPACE,
    [0x0f] = K_TAB,
    [0x10] = 'q',
    [0x11] = 'w',
    [0x12] = 'e',
    [0x13] = 'r',
    [0x14] = 't',
    [0x15] = 'y',
    [0x16] = 'u',
    [0x17] = 'i',
    [0x18] = 'o',
    [0x19] = 'p',
    [0x1a] = '[',
    [0x1b] = ']',
    [0x1c] = K_ENTER,
    [0x1d] = K_CTRL,
    [0x1e] = 'a',
    [0x1f] = 's',
    [0x20] = 'd',
    [0x21] = 'f',
    [0x22] = 'g',
    [0x23] = 'h',
    [0x24] = 'j',
    [0x25] = 'k',
    [0x26] = 'l',
    [0x27] = ';',
    [0x28] = '\'',
    [0x29] = '`',
    [0x2a] = K_SHIFT,
    [0x2b] = '\\',
    [0x2c] = 'z',
    [0x2d] = 'x',
    [0x2e] = 'c',
    [0x2f] = 'v',
    [0x30] = 'b',
    [0x31] = 'n',
    [0x32] = 'm',
    [0x33] = ',',
    [0x34] = '.',
    [0x35] = '/',
    [0x36] = K_SHIFT,
    [0x37] = K_KP_STAR,
    [0x38] = K_ALT,
    [0x39] = K_SPACE,
    [0x3b] = K_F1,
    [0x3c] = K_F2,
    [0x3d] = K_F3,
    [0x3e] = K_F4,
    [0x3f] = K_F5,
    [0x40] = K_F6,
    [0x41] = K_F7,
    [0x42] = K_F8,
    [0x43] = K_F9,
    [0x44] = K_F10,
    [0x45] = K_KP_NUMLOCK,
    [0x47] = K_KP_HOME,
    [0x48] = K_KP_UPARROW,
    [0x49] = K_KP_PGUP,
    [0x4a] = K_KP_MINUS,
    [0x4b] = K_KP_LEFTARROW,
    [0x4c] = K_KP_5,
    [0x4d] = K_KP_RIGHTARROW,
    [0x4e] = K_KP_PLUS,
    [0x4f] = K_KP_END,
    [0x50] = K_KP_DOWNARROW,
    [0x51] = K_KP_PGDN,
    [0x52] = K_KP_INS,
    [0x53] = K_KP_DEL,
    [0x57] = K_F11,
    [0x58] = K_F12,
};

/*
 * Quake key numbers for codes after 0xE0. E0 2A and E0 36 are the "fake
 * shifts" a keyboard wraps around some keys; they map to nothing.
 */
static const uint8_t set1_e0_keys[SCANCODE_CODE + 1] = {
    [0x1c] = K_KP_ENTER, [0x1d] = K_CTRL,      [0x35] = K_KP_SLASH,
    [0x38] = K_ALT,      [0x47] = K_HOME,      [0x48] = K_UPARROW,
    [0x49] = K_PGUP,     [0x4b] = K_LEFTARROW, [0x4d] = K_RIGHTARROW,
    [0x4f] = K_END,      [0x50] = K_DOWNARROW, [0x51] = K_PGDN,
    [0x52] = K_INS,      [0x53] = K_DEL,
};

/* The mouse buttons, in K_MOUSE1.. order, as back-end bits. */
static const unsigned int mouse_bits[] = {
    BACKEND_MOUSE_LEFT,
    BACKEND_MOUSE_RIGHT,
    BACKEND_MOUSE_MIDDLE,
};

/* The decoder's state between bytes and frames; only the game's thread. */
static struct {
    struct scancode_decoder keys;
    int nomouse;          /* -nomouse given */
    unsigned int buttons; /* the last buttons reported */
    int dx, dy;           /* motion summed since the last IN_Move */
} in;

static void post_key(int key, int pressed)
{
    if (key == 0)
        return;
    /* The key code passed along answers Y/N prompts: US layout too. */
    Key_EventWithKeycode(key, pressed, key);
    if (pressed && Key_TextEntry() && key >= ASCII_FIRST && key <= ASCII_LAST)
        Char_Event(scancode_shift_held(&in.keys) ? scancode_us_shifted(key)
                                                 : key);
}

/* Feeds one scancode byte through the decoder, posting what it completes. */
static void decode_byte(uint8_t byte)
{
    struct scancode_key k;

    if (scancode_feed(&in.keys, byte, &k))
        post_key(scancode_map(&k, set1_keys, set1_e0_keys, K_PAUSE), k.pressed);
}

static void read_mouse(void)
{
    unsigned int buttons = backend_mouse_buttons();
    int dx, dy;

    for (unsigned int i = 0; i < sizeof mouse_bits / sizeof mouse_bits[0];
         i++) {
        unsigned int bit = mouse_bits[i];

        if ((buttons ^ in.buttons) & bit)
            Key_Event(K_MOUSE1 + (int)i, (buttons & bit) != 0);
    }
    in.buttons = buttons;
    backend_mouse_motion(&dx, &dy);
    in.dx += dx;
    in.dy += dy;
}

void IN_SendKeyEvents(void)
{
    uint8_t byte;

    while ((byte = backend_next_scancode()) != 0)
        decode_byte(byte);
    if (!in.nomouse)
        read_mouse();
}

void IN_Init(void)
{
    in.nomouse = COM_CheckParm("-nomouse") != 0;
}

void IN_Shutdown(void)
{
}

/* The screen is exclusive while the game runs: nothing to grab or free. */
void IN_Activate(void)
{
    in.dx = 0;
    in.dy = 0;
}

void IN_Deactivate(qboolean free_cursor)
{
    (void)free_cursor;
}

/* No joystick. */
void IN_Commands(void)
{
}

/* Char_Event follows Key_TextEntry at each key; nothing to switch. */
void IN_UpdateInputMode(void)
{
}

void IN_ClearStates(void)
{
}

void IN_MouseMotion(int dx, int dy)
{
    in.dx += dx;
    in.dy += dy;
}

/* cl_main.c's pitch limits, which no engine header declares. */
extern cvar_t cl_maxpitch, cl_minpitch;

/* Clamps the pitch to the engine's cl_minpitch..cl_maxpitch. */
static void clamp_pitch(void)
{
    if (cl.viewangles[PITCH] > cl_maxpitch.value)
        cl.viewangles[PITCH] = cl_maxpitch.value;
    if (cl.viewangles[PITCH] < cl_minpitch.value)
        cl.viewangles[PITCH] = cl_minpitch.value;
}

void IN_Move(usercmd_t *cmd)
{
    float mx = (float)in.dx * sensitivity.value;
    float my = (float)in.dy * sensitivity.value;
    int strafe = in_strafe.state & 1;
    int mlook = in_mlook.state & 1;

    in.dx = 0;
    in.dy = 0;
    /* Motion while paused or in a menu is dropped, not saved for later. */
    if (cl.paused || key_dest != key_game)
        return;
    if (strafe || (lookstrafe.value && mlook))
        cmd->sidemove += m_side.value * mx;
    else
        cl.viewangles[YAW] -= m_yaw.value * mx;
    if (mlook && (mx != 0 || my != 0))
        V_StopPitchDrift();
    if (mlook && !strafe) {
        cl.viewangles[PITCH] += m_pitch.value * my;
        clamp_pitch();
    } else if (strafe && noclip_anglehack) {
        cmd->upmove -= m_forward.value * my;
    } else {
        cmd->forwardmove -= m_forward.value * my;
    }
}
