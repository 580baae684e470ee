/*
 * The keyboard decoder: scancode set 1 bytes in, key events out.
 *
 * Ember asks the PS/2 controller to translate the keyboard's set 2 into set
 * 1 (kernel/drivers/ps2.c), so one key is one byte, its make code, and its
 * release is the same byte with bit 7 set. Two prefixes widen the set: E0
 * marks the keys the 101-key keyboard added (arrows, the navigation block,
 * right ctrl and alt, keypad enter and divide), and E1 starts Pause, which
 * sends E1 1D 45 E1 9D C5 when pressed and nothing when released. Read
 * byte by byte without the E1 rule, that is ctrl + NumLock pressed and
 * released; here the three bytes after each E1 are one event of the one
 * key, so Pause gives a press and then a release and nothing else.
 *
 * Some E0 keys are wrapped in "fake shifts" (E0 2A / E0 AA, E0 36 / E0 B6)
 * that tell old software to undo shift or num lock; they are dropped, so
 * they never change the real shift state.
 *
 * The decoder tracks which modifier keys are down (each side apart, so
 * releasing one shift while the other is held keeps shift on), caps lock
 * and num lock, and which keys are down, so the keyboard's own typematic
 * repeat (make codes with no break in between) is passed through marked
 * KEYMAP_EV_REPEAT. The caller turns lock changes into LED commands.
 *
 * Portable: also built into tests/host/test_keymap.c.
 * See: docs/input.md
 */
#include "drivers/keymap.h"

#include "drivers/keylayout.h"

#include "lib/portable.h"

#define PLAIN_CODES        0x59 /* make codes 0x00-0x58 */
#define E0_CODES           0x5e /* E0 make codes 0x00-0x5d */
#define MAKE_MASK          0x7f
#define FAKE_SHIFT         0x2a /* E0 2A: fake left shift */
#define FAKE_SHIFT2        0x36 /* E0 36: fake right shift */
#define E1_FIRST           0x1d /* E1 1D 45: the ctrl byte of Pause */
#define E0_BREAK           0x46 /* ctrl+Pause sends E0 46 (Break): Pause too */
#define ASCII_ESC          0x1b
#define CTRL_MASK          0x1f /* ctrl+letter is the letter's low five bits */
#define ASCII_LIMIT        0x80
#define CASE_OFFSET        0x20 /* 'a' - 'A', and the same in Latin-1 */
#define LATIN1_LOWER_FIRST 0xE0 /* a-grave */
#define LATIN1_LOWER_LAST  0xFE /* thorn */
#define LATIN1_DIVIDE      0xF7 /* the division sign, not a letter */

/* Which modifier keys are down: struct keymap_state.held. */
#define HELD_SHIFT   0x01
#define HELD_SHIFT_R 0x02
#define HELD_CTRL    0x04
#define HELD_CTRL_R  0x08
#define HELD_ALT     0x10
#define HELD_ALT_R   0x20

struct key_info {
    const char *name; /* QEMU's QKeyCode name */
    char normal;      /* the character typed, 0 for none */
    char shifted;     /* with shift held */
};

/* Keys without a prefix, by make code (the IBM PC/AT set 1 layout). */
static const struct key_info plain_keys[PLAIN_CODES] = {
    [0x01] = {"esc", ASCII_ESC, ASCII_ESC},
    [0x02] = {"1", '1', '!'},
    [0x03] = {"2", '2', '@'},
    [0x04] = {"3", '3', '#'},
    [0x05] = {"4", '4', '$'},
    [0x06] = {"5", '5', '%'},
    [0x07] = {"6", '6', '^'},
    [0x08] = {"7", '7', '&'},
    [0x09] = {"8", '8', '*'},
    [0x0a] = {"9", '9', '('},
    [0x0b] = {"0", '0', ')'},
    [0x0c] = {"minus", '-', '_'},
    [0x0d] = {"equal", '=', '+'},
    [0x0e] = {"backspace", '\b', '\b'},
    [0x0f] = {"tab", '\t', '\t'},
    [0x10] = {"q", 'q', 'Q'},
    [0x11] = {"w", 'w', 'W'},
    [0x12] = {"e", 'e', 'E'},
    [0x13] = {"r", 'r', 'R'},
    [0x14] = {"t", 't', 'T'},
    [0x15] = {"y", 'y', 'Y'},
    [0x16] = {"u", 'u', 'U'},
    [0x17] = {"i", 'i', 'I'},
    [0x18] = {"o", 'o', 'O'},
    [0x19] = {"p", 'p', 'P'},
    [0x1a] = {"bracket_left", '[', '{'},
    [0x1b] = {"bracket_right", ']', '}'},
    [0x1c] = {"ret", '\n', '\n'},
    [0x1d] = {"ctrl", 0, 0},
    [0x1e] = {"a", 'a', 'A'},
    [0x1f] = {"s", 's', 'S'},
    [0x20] = {"d", 'd', 'D'},
    [0x21] = {"f", 'f', 'F'},
    [0x22] = {"g", 'g', 'G'},
    [0x23] = {"h", 'h', 'H'},
    [0x24] = {"j", 'j', 'J'},
    [0x25] = {"k", 'k', 'K'},
    [0x26] = {"l", 'l', 'L'},
    [0x27] = {"semicolon", ';', ':'},
    [0x28] = {"apostrophe", '\'', '"'},
    [0x29] = {"grave_accent", '`', '~'},
    [0x2a] = {"shift", 0, 0},
    [0x2b] = {"backslash", '\\', '|'},
    [0x2c] = {"z", 'z', 'Z'},
    [0x2d] = {"x", 'x', 'X'},
    [0x2e] = {"c", 'c', 'C'},
    [0x2f] = {"v", 'v', 'V'},
    [0x30] = {"b", 'b', 'B'},
    [0x31] = {"n", 'n', 'N'},
    [0x32] = {"m", 'm', 'M'},
    [0x33] = {"comma", ',', '<'},
    [0x34] = {"dot", '.', '>'},
    [0x35] = {"slash", '/', '?'},
    [0x36] = {"shift_r", 0, 0},
    [0x37] = {"kp_multiply", '*', '*'},
    [0x38] = {"alt", 0, 0},
    [0x39] = {"spc", ' ', ' '},
    [0x3a] = {"caps_lock", 0, 0},
    [0x3b] = {"f1", 0, 0},
    [0x3c] = {"f2", 0, 0},
    [0x3d] = {"f3", 0, 0},
    [0x3e] = {"f4", 0, 0},
    [0x3f] = {"f5", 0, 0},
    [0x40] = {"f6", 0, 0},
    [0x41] = {"f7", 0, 0},
    [0x42] = {"f8", 0, 0},
    [0x43] = {"f9", 0, 0},
    [0x44] = {"f10", 0, 0},
    [0x45] = {"num_lock", 0, 0},
    [0x46] = {"scroll_lock", 0, 0},
    /* Keypad digits type only with num lock on (see key_char()). */
    [0x47] = {"kp_7", '7', '7'},
    [0x48] = {"kp_8", '8', '8'},
    [0x49] = {"kp_9", '9', '9'},
    [0x4a] = {"kp_subtract", '-', '-'},
    [0x4b] = {"kp_4", '4', '4'},
    [0x4c] = {"kp_5", '5', '5'},
    [0x4d] = {"kp_6", '6', '6'},
    [0x4e] = {"kp_add", '+', '+'},
    [0x4f] = {"kp_1", '1', '1'},
    [0x50] = {"kp_2", '2', '2'},
    [0x51] = {"kp_3", '3', '3'},
    [0x52] = {"kp_0", '0', '0'},
    [0x53] = {"kp_decimal", '.', '.'},
    [0x54] = {"sysrq", 0, 0},
    [0x56] = {"less", '\\', '|'}, /* the 102nd key; US keyboards lack it */
    [0x57] = {"f11", 0, 0},
    [0x58] = {"f12", 0, 0},
};

/* Keys behind an E0 prefix, by make code. */
static const struct key_info e0_keys[E0_CODES] = {
    [0x1c] = {"kp_enter", '\n', '\n'},
    [0x1d] = {"ctrl_r", 0, 0},
    [0x35] = {"kp_divide", '/', '/'},
    [0x37] = {"print", 0, 0},
    [0x38] = {"alt_r", 0, 0},
    [0x47] = {"home", 0, 0},
    [0x48] = {"up", 0, 0},
    [0x49] = {"pgup", 0, 0},
    [0x4b] = {"left", 0, 0},
    [0x4d] = {"right", 0, 0},
    [0x4f] = {"end", 0, 0},
    [0x50] = {"down", 0, 0},
    [0x51] = {"pgdn", 0, 0},
    [0x52] = {"insert", 0, 0},
    [0x53] = {"delete", 0, 0},
    [0x5b] = {"meta_l", 0, 0},
    [0x5c] = {"meta_r", 0, 0},
    [0x5d] = {"menu", 0, 0},
};

static const struct key_info pause_key = {"pause", 0, 0};

static const struct key_info *key_info(uint16_t code)
{
    const struct key_info *k = NULL;
    uint8_t make = code & MAKE_MASK;

    if (code < PLAIN_CODES)
        k = &plain_keys[code];
    else if ((code & ~MAKE_MASK) == KEY_E0 && make < E0_CODES)
        k = &e0_keys[make];
    else if (code == KEY_PAUSE)
        k = &pause_key;
    return k && k->name ? k : NULL;
}

const char *keymap_name(uint16_t code)
{
    const struct key_info *k = key_info(code);
    return k ? k->name : NULL;
}

void keymap_init(struct keymap_state *st)
{
    memset(st, 0, sizeof *st);
}

void keymap_set_layout(struct keymap_state *st, const struct keylayout *l)
{
    st->layout = l;
    st->dead = 0;
}

uint8_t keymap_mods(const struct keymap_state *st)
{
    uint8_t mods = st->locks;

    if (st->held & (HELD_SHIFT | HELD_SHIFT_R))
        mods |= KEYMAP_MOD_SHIFT;
    if (st->held & (HELD_CTRL | HELD_CTRL_R))
        mods |= KEYMAP_MOD_CTRL;
    if (st->held & (HELD_ALT | HELD_ALT_R))
        mods |= KEYMAP_MOD_ALT;
    return mods;
}

static bool is_keypad_number(uint16_t code)
{
    /* kp_subtract and kp_add sit among them but type regardless. */
    return code >= KEY_KP_7 && code <= KEY_KP_DECIMAL &&
           code != KEY_KP_SUBTRACT && code != KEY_KP_ADD;
}

/* A lower-case letter whose shifted form is its capital (caps lock). */
static bool has_capital(uint16_t lower, uint16_t upper)
{
    bool ascii = lower >= 'a' && lower <= 'z';
    bool latin1 = lower >= LATIN1_LOWER_FIRST && lower != LATIN1_DIVIDE &&
                  lower <= LATIN1_LOWER_LAST;
    return (ascii || latin1) && upper == lower - CASE_OFFSET;
}

/*
 * The code point a press of `code` types with modifiers `mods` (AltGr:
 * the right alt key held) in st's layout, or 0.
 */
static uint16_t key_char(const struct keymap_state *st, uint16_t code,
                         uint8_t mods)
{
    const struct key_info *k = key_info(code);
    const struct keylayout_key *lk = keylayout_key(st->layout, code);
    bool shift = mods & KEYMAP_MOD_SHIFT;
    uint16_t normal = lk ? lk->normal : (uint8_t)k->normal;
    uint16_t shifted = lk ? lk->shifted : (uint8_t)k->shifted;
    uint16_t c = shift ? shifted : normal;

    if (is_keypad_number(code) && !(mods & KEYMAP_MOD_NUM))
        return 0; /* without num lock these are the navigation keys */
    if ((st->held & HELD_ALT_R) && lk && lk->altgr)
        return lk->altgr; /* AltGr: the key's third level, where it has one */
    if (has_capital(normal, shifted) && (mods & KEYMAP_MOD_CAPS))
        c = shift ? normal : shifted;
    if (mods & KEYMAP_MOD_CTRL) {
        /* ctrl+letter and ctrl+[ \ ] ^ _ are the C0 controls. */
        if ((normal >= 'a' && normal <= 'z') || c == '[' || c == '\\' ||
            c == ']' || c == '^' || c == '_')
            c = (uint16_t)(c & CTRL_MASK);
    }
    return c;
}

/* True if a press of code with mods is one of the layout's dead keys. */
static bool is_dead(const struct keymap_state *st, uint16_t code, uint8_t mods)
{
    const struct keylayout_key *lk = keylayout_key(st->layout, code);
    if (!lk || !lk->dead || (st->held & HELD_ALT_R) || (mods & KEYMAP_MOD_CTRL))
        return false;
    return lk->dead & ((mods & KEYMAP_MOD_SHIFT) ? KEYLAYOUT_DEAD_SHIFTED
                                                 : KEYLAYOUT_DEAD_NORMAL);
}

/*
 * Dead keys: a dead key types nothing and waits; the next key that types
 * composes with it (keylayout_compose()), or gets the accent typed before
 * it (ev->before). Keys that type nothing (shift, arrows) leave it
 * waiting; a dead key's own repeats do nothing.
 */
static void compose(struct keymap_state *st, uint16_t code,
                    struct key_event *ev)
{
    if (!ev->cp)
        return;
    if (is_dead(st, code, ev->mods)) {
        uint16_t pending = st->dead;
        if (ev->flags & KEYMAP_EV_REPEAT)
            pending = 0;
        else
            st->dead = pending == ev->cp ? 0 : ev->cp;
        ev->cp = pending; /* the same accent twice, or the one before */
        return;
    }
    if (!st->dead)
        return;
    uint16_t made = keylayout_compose(st->dead, ev->cp);
    if (made)
        ev->cp = made;
    else
        ev->before = st->dead;
    st->dead = 0;
}

static uint8_t held_bit(uint16_t code)
{
    switch (code) {
    case KEY_SHIFT:
        return HELD_SHIFT;
    case KEY_SHIFT_R:
        return HELD_SHIFT_R;
    case KEY_CTRL:
        return HELD_CTRL;
    case KEY_CTRL_R:
        return HELD_CTRL_R;
    case KEY_ALT:
        return HELD_ALT;
    case KEY_ALT_R:
        return HELD_ALT_R;
    default:
        return 0;
    }
}

/* Applies one decoded press or release and describes it in *ev. */
static bool key_event(struct keymap_state *st, uint16_t code, bool press,
                      struct key_event *ev)
{
    uint32_t bit = 1u << (code % 32);
    bool was_down = st->down[code / 32] & bit;

    ev->code = code;
    ev->flags = 0;
    if (press) {
        ev->flags = KEYMAP_EV_PRESS | (was_down ? KEYMAP_EV_REPEAT : 0);
        st->down[code / 32] |= bit;
        st->held |= held_bit(code);
        if (code == KEY_CAPS_LOCK && !was_down)
            st->locks ^= KEYMAP_MOD_CAPS;
        if (code == KEY_NUM_LOCK && !was_down)
            st->locks ^= KEYMAP_MOD_NUM;
    } else {
        st->down[code / 32] &= ~bit;
        st->held &= (uint8_t)~held_bit(code);
    }
    ev->mods = keymap_mods(st);
    ev->cp = press ? key_char(st, code, ev->mods) : 0;
    ev->before = 0;
    compose(st, code, ev);
    ev->ch = ev->cp < ASCII_LIMIT ? (uint8_t)ev->cp : 0;
    return true;
}

/*
 * The two bytes after an E1: 1D 45 is Pause's press, 9D C5 its release.
 * Anything else is not a sequence we know, and is dropped whole.
 */
static bool feed_e1(struct keymap_state *st, uint8_t byte, struct key_event *ev)
{
    if (st->e1_count++ == 0) {
        st->e1_first = byte;
        return false;
    }
    st->prefix = 0;
    if ((st->e1_first & MAKE_MASK) != E1_FIRST ||
        (byte & MAKE_MASK) != (KEY_PAUSE & MAKE_MASK))
        return false;
    return key_event(st, KEY_PAUSE, !(byte & KEYMAP_BREAK_BIT), ev);
}

bool keymap_feed(struct keymap_state *st, uint8_t byte, struct key_event *ev)
{
    if (st->prefix == KEYMAP_E1_PREFIX)
        return feed_e1(st, byte, ev);
    if (byte == KEYMAP_E0_PREFIX || byte == KEYMAP_E1_PREFIX) {
        st->prefix = byte;
        st->e1_count = 0;
        return false;
    }
    bool e0 = st->prefix == KEYMAP_E0_PREFIX;
    uint8_t make = byte & MAKE_MASK;
    st->prefix = 0;
    if (e0 && (make == FAKE_SHIFT || make == FAKE_SHIFT2))
        return false;
    uint16_t code = (uint16_t)((e0 ? KEY_E0 : 0) | make);
    if (e0 && make == E0_BREAK)
        code = KEY_PAUSE;
    if (!key_info(code))
        return false;
    return key_event(st, code, !(byte & KEYMAP_BREAK_BIT), ev);
}
