/*
 * Host tests for the scancode decoder: byte sequences in, key events out.
 *
 * Each test feeds the set-1 bytes a real keyboard (or QEMU's translated
 * model) sends and checks every event: code, press/release/repeat,
 * modifiers and the character. The sequences cover plain letters, both
 * shifts, caps lock with and without shift, ctrl combinations, E0 keys
 * (arrows, navigation block, right ctrl, keypad enter), the fake shifts
 * around E0 keys, Pause's E1 sequence (one key, never ctrl + num lock),
 * typematic repeat and unknown bytes, and the UK, German and French
 * layouts (kernel/drivers/keylayout.c): moved letters, characters beyond
 * ASCII as code points, AltGr, caps lock on accented letters.
 *
 * Portable: host only; links kernel/drivers/keymap.c and portable_host.c.
 * See: docs/input.md
 */
#include "drivers/keymap.h"

#include "drivers/keylayout.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "check.h"

#define MAX_EVENTS 16

static struct keymap_state st;
static struct key_event evs[MAX_EVENTS];

/* Feeds n bytes; returns the number of events, kept in evs[]. */
static int feed(const uint8_t *bytes, int n)
{
    int count = 0;
    for (int i = 0; i < n; i++) {
        struct key_event ev;
        if (keymap_feed(&st, bytes[i], &ev) && count < MAX_EVENTS)
            evs[count++] = ev;
    }
    return count;
}

#define FEED(...)                                                              \
    feed((const uint8_t[]){__VA_ARGS__}, sizeof((const uint8_t[]){__VA_ARGS__}))

static bool is(int i, uint16_t code, uint8_t flags, uint8_t mods, uint8_t ch)
{
    return evs[i].code == code && evs[i].flags == flags &&
           evs[i].mods == mods && evs[i].ch == ch;
}

#define DOWN KEYMAP_EV_PRESS
#define UP   0
#define REP  (KEYMAP_EV_PRESS | KEYMAP_EV_REPEAT)

TEST(plain_letter_press_and_release)
{
    keymap_init(&st);
    CHECK_EQ(FEED(0x1e, 0x9e), 2); /* a */
    CHECK(is(0, KEY_A, DOWN, 0, 'a'));
    CHECK(is(1, KEY_A, UP, 0, 0));
    CHECK(strcmp(keymap_name(KEY_A), "a") == 0);
}

TEST(shift_gives_capitals_and_symbols)
{
    keymap_init(&st);
    /* shift down, a, 1, shift up, a */
    CHECK_EQ(FEED(0x2a, 0x1e, 0x9e, 0x02, 0x82, 0xaa, 0x1e), 7);
    CHECK(is(0, KEY_SHIFT, DOWN, KEYMAP_MOD_SHIFT, 0));
    CHECK(is(1, KEY_A, DOWN, KEYMAP_MOD_SHIFT, 'A'));
    CHECK(is(3, 0x02, DOWN, KEYMAP_MOD_SHIFT, '!'));
    CHECK(is(5, KEY_SHIFT, UP, 0, 0));
    CHECK(is(6, KEY_A, DOWN, 0, 'a'));
}

TEST(both_shifts_tracked_apart)
{
    keymap_init(&st);
    /* left shift down, right shift down, left up: still shifted */
    CHECK_EQ(FEED(0x2a, 0x36, 0xaa, 0x1e), 4);
    CHECK(is(3, KEY_A, DOWN, KEYMAP_MOD_SHIFT, 'A'));
    CHECK_EQ(FEED(0x9e, 0xb6, 0x1e), 3);
    CHECK(is(2, KEY_A, DOWN, 0, 'a'));
}

TEST(caps_lock_toggles_letters_only)
{
    keymap_init(&st);
    CHECK_EQ(FEED(0x3a, 0xba), 2);
    CHECK(is(0, KEY_CAPS_LOCK, DOWN, KEYMAP_MOD_CAPS, 0));
    CHECK(is(1, KEY_CAPS_LOCK, UP, KEYMAP_MOD_CAPS, 0));
    CHECK_EQ(FEED(0x1e, 0x02), 2);
    CHECK(is(0, KEY_A, DOWN, KEYMAP_MOD_CAPS, 'A'));
    CHECK(is(1, 0x02, DOWN, KEYMAP_MOD_CAPS, '1'));
    /* shift with caps lock: lower case */
    CHECK_EQ(FEED(0x2a, 0x1e), 2);
    CHECK(is(1, KEY_A, DOWN | REP, KEYMAP_MOD_CAPS | KEYMAP_MOD_SHIFT, 'a'));
    CHECK_EQ(FEED(0xaa, 0x9e, 0x3a, 0xba, 0x1e), 5);
    CHECK(is(2, KEY_CAPS_LOCK, DOWN, 0, 0));
    CHECK(is(4, KEY_A, DOWN, 0, 'a'));
}

TEST(ctrl_makes_control_characters)
{
    keymap_init(&st);
    /* ctrl down, c, [, ctrl up, c */
    CHECK_EQ(FEED(0x1d, 0x2e, 0xae, 0x1a, 0x9d, 0x2e), 6);
    CHECK(is(1, 0x2e, DOWN, KEYMAP_MOD_CTRL, 0x03));
    CHECK(is(3, 0x1a, DOWN, KEYMAP_MOD_CTRL, 0x1b));
    CHECK(is(5, 0x2e, DOWN, 0, 'c'));
    /* right ctrl (E0 1D) and right alt (E0 38) */
    CHECK_EQ(FEED(0xe0, 0x1d, 0x20, 0xa0, 0xe0, 0x9d, 0xe0, 0x38, 0x20), 6);
    CHECK(is(0, KEY_CTRL_R, DOWN, KEYMAP_MOD_CTRL, 0));
    CHECK(is(1, 0x20, DOWN, KEYMAP_MOD_CTRL, 0x04));
    CHECK(is(3, KEY_CTRL_R, UP, 0, 0));
    CHECK(is(4, KEY_ALT_R, DOWN, KEYMAP_MOD_ALT, 0));
    CHECK(is(5, 0x20, DOWN, KEYMAP_MOD_ALT, 'd')); /* alt types no control */
}

TEST(e0_keys_are_not_their_keypad_twins)
{
    keymap_init(&st);
    CHECK_EQ(FEED(0xe0, 0x48, 0xe0, 0xc8, 0x48, 0xc8), 4);
    CHECK(is(0, KEY_UP, DOWN, 0, 0));
    CHECK(is(1, KEY_UP, UP, 0, 0));
    CHECK(is(2, KEY_KP_7 + 1, DOWN, 0, 0)); /* kp_8, num lock off */
    CHECK(strcmp(keymap_name(KEY_UP), "up") == 0);
    CHECK(strcmp(keymap_name(0x48), "kp_8") == 0);
    static const struct {
        uint8_t make;
        uint16_t code;
        const char *name;
    } nav[] = {
        {0x47, KEY_HOME, "home"},     {0x4f, KEY_END, "end"},
        {0x49, KEY_PGUP, "pgup"},     {0x51, KEY_PGDN, "pgdn"},
        {0x52, KEY_INSERT, "insert"}, {0x53, KEY_DELETE, "delete"},
        {0x4b, KEY_LEFT, "left"},     {0x4d, KEY_RIGHT, "right"},
        {0x50, KEY_DOWN, "down"},
    };
    for (size_t i = 0; i < sizeof nav / sizeof nav[0]; i++) {
        CHECK_EQ(FEED(0xe0, nav[i].make), 1);
        CHECK(is(0, nav[i].code, DOWN, 0, 0));
        CHECK(strcmp(keymap_name(nav[i].code), nav[i].name) == 0);
    }
    CHECK_EQ(FEED(0xe0, 0x1c), 1);
    CHECK(is(0, KEY_KP_ENTER, DOWN, 0, '\n'));
    CHECK_EQ(FEED(0xe0, 0x35), 1);
    CHECK(is(0, KEY_KP_DIVIDE, DOWN, 0, '/'));
}

TEST(fake_shifts_are_ignored)
{
    keymap_init(&st);
    /* Print Screen as sent with fake shift: E0 2A E0 37 ... E0 B7 E0 AA */
    CHECK_EQ(FEED(0xe0, 0x2a, 0xe0, 0x37, 0xe0, 0xb7, 0xe0, 0xaa), 2);
    CHECK(is(0, KEY_PRINT, DOWN, 0, 0));
    CHECK(is(1, KEY_PRINT, UP, 0, 0));
    /* A real shift held across a fake shift release stays held. */
    CHECK_EQ(FEED(0x2a, 0xe0, 0xaa, 0xe0, 0x52, 0x1e), 3);
    CHECK(is(1, KEY_INSERT, DOWN, KEYMAP_MOD_SHIFT, 0));
    CHECK(is(2, KEY_A, DOWN, KEYMAP_MOD_SHIFT, 'A'));
}

TEST(pause_is_one_key_not_ctrl_numlock)
{
    keymap_init(&st);
    CHECK_EQ(FEED(0xe1, 0x1d, 0x45, 0xe1, 0x9d, 0xc5), 2);
    CHECK(is(0, KEY_PAUSE, DOWN, 0, 0));
    CHECK(is(1, KEY_PAUSE, UP, 0, 0));
    CHECK(strcmp(keymap_name(KEY_PAUSE), "pause") == 0);
    /* No ctrl left held and no num lock toggled. */
    CHECK_EQ(keymap_mods(&st), 0);
    CHECK_EQ(FEED(0x1e), 1);
    CHECK(is(0, KEY_A, DOWN, 0, 'a'));
    /* ctrl+Pause is Break, E0 46: the same key. */
    CHECK_EQ(FEED(0x1d, 0xe0, 0x46, 0xe0, 0xc6, 0x9d), 4);
    CHECK(is(1, KEY_PAUSE, DOWN, KEYMAP_MOD_CTRL, 0));
    CHECK(is(2, KEY_PAUSE, UP, KEYMAP_MOD_CTRL, 0));
}

TEST(typematic_repeat_is_marked)
{
    keymap_init(&st);
    CHECK_EQ(FEED(0x1e, 0x1e, 0x1e, 0x9e, 0x1e), 5);
    CHECK(is(0, KEY_A, DOWN, 0, 'a'));
    CHECK(is(1, KEY_A, REP, 0, 'a'));
    CHECK(is(2, KEY_A, REP, 0, 'a'));
    CHECK(is(3, KEY_A, UP, 0, 0));
    CHECK(is(4, KEY_A, DOWN, 0, 'a'));
    /* Holding caps lock does not toggle it again on every repeat. */
    CHECK_EQ(FEED(0x3a, 0x3a, 0x3a, 0xba), 4);
    CHECK(evs[2].mods == KEYMAP_MOD_CAPS);
}

TEST(function_keys_and_escape)
{
    keymap_init(&st);
    static const uint8_t fkeys[12] = {0x3b, 0x3c, 0x3d, 0x3e, 0x3f, 0x40,
                                      0x41, 0x42, 0x43, 0x44, 0x57, 0x58};
    for (int i = 0; i < 12; i++) {
        char name[16];
        snprintf(name, sizeof name, "f%d", i + 1);
        CHECK_EQ(FEED(fkeys[i]), 1);
        CHECK(is(0, fkeys[i], DOWN, 0, 0));
        CHECK(strcmp(keymap_name(fkeys[i]), name) == 0);
    }
    CHECK_EQ(FEED(0x01), 1);
    CHECK(is(0, KEY_ESC, DOWN, 0, 0x1b));
    CHECK_EQ(FEED(0x1c, 0x0e, 0x0f, 0x39), 4);
    CHECK(evs[0].ch == '\n' && evs[1].ch == '\b' && evs[2].ch == '\t' &&
          evs[3].ch == ' ');
}

TEST(num_lock_gates_keypad_digits)
{
    keymap_init(&st);
    CHECK_EQ(FEED(0x4f, 0x45, 0xc5, 0x4f, 0x4a), 5);
    CHECK(is(0, 0x4f, DOWN, 0, 0)); /* kp_1 without num lock: End */
    CHECK(is(3, 0x4f, DOWN | REP, KEYMAP_MOD_NUM, '1'));
    CHECK(is(4, KEY_KP_SUBTRACT, DOWN, KEYMAP_MOD_NUM, '-'));
}

/* The code point of event i's press. */
static uint16_t cp(int i)
{
    return evs[i].cp;
}

TEST(layouts_type_their_characters)
{
    keymap_init(&st);
    CHECK(keylayout_find("xx") == NULL);
    CHECK(keylayout_find("us") != NULL);
    keymap_set_layout(&st, keylayout_find("de"));
    /* y and z swap; the apostrophe key is a-umlaut, not ASCII: ch 0 */
    CHECK_EQ(FEED(0x15, 0x95, 0x2c, 0xac, 0x28, 0xa8), 6);
    CHECK_EQ(cp(0), 'z');
    CHECK_EQ(evs[0].ch, 'z');
    CHECK_EQ(cp(2), 'y');
    CHECK_EQ(cp(4), 0xE4);
    CHECK_EQ(evs[4].ch, 0);
    /* caps lock capitalises u-umlaut too; shift+3 is the section sign */
    CHECK_EQ(FEED(0x3a, 0xba, 0x1a, 0x9a, 0x3a, 0xba), 6);
    CHECK_EQ(cp(2), 0xDC);
    CHECK_EQ(FEED(0x2a, 0x04, 0x84, 0xaa), 4);
    CHECK_EQ(cp(1), 0xA7);
    /* AltGr (E0 38) + q is @; left alt + q is still q */
    CHECK_EQ(FEED(0xe0, 0x38, 0x10, 0x90, 0xe0, 0xb8), 4);
    CHECK_EQ(cp(1), '@');
    CHECK_EQ(FEED(0x38, 0x10, 0x90, 0xb8), 4);
    CHECK_EQ(cp(1), 'q');

    keymap_set_layout(&st, keylayout_find("fr"));
    /* AZERTY: the q key types a, 2 types e-acute, AltGr+e the euro sign */
    CHECK_EQ(FEED(0x10, 0x90, 0x03, 0x83, 0xe0, 0x38, 0x12, 0x92, 0xe0, 0xb8),
             8);
    CHECK_EQ(cp(0), 'a');
    CHECK_EQ(cp(2), 0xE9);
    CHECK_EQ(cp(5), 0x20AC);
    /* ctrl + the key engraved A is ctrl-a on any layout */
    CHECK_EQ(FEED(0x1d, 0x10, 0x90, 0x9d), 4);
    CHECK_EQ(cp(1), 1);

    keymap_set_layout(&st, keylayout_find("uk"));
    CHECK_EQ(FEED(0x2a, 0x04, 0x84, 0x03, 0x83, 0xaa), 6);
    CHECK_EQ(cp(1), 0xA3); /* shift+3: the pound sign */
    CHECK_EQ(cp(3), '"');
    keymap_set_layout(&st, NULL);
    CHECK_EQ(FEED(0x2a, 0x03, 0x83, 0xaa), 4);
    CHECK_EQ(cp(1), '@'); /* back to us */
}

/* Presses and releases keys (make codes), returning the code points the
 * presses typed, accents that did not compose first, as one string. */
static void typed(const uint8_t *makes, int n, uint16_t *out)
{
    int k = 0;
    for (int i = 0; i < n; i++) {
        struct key_event ev;
        if (keymap_feed(&st, makes[i], &ev) && (ev.flags & KEYMAP_EV_PRESS)) {
            if (ev.before)
                out[k++] = ev.before;
            if (ev.cp)
                out[k++] = ev.cp;
        }
        keymap_feed(&st, makes[i] | KEYMAP_BREAK_BIT, &ev);
    }
    out[k] = 0;
}

#define TYPED(out, ...)                                                        \
    typed((const uint8_t[]){__VA_ARGS__},                                      \
          sizeof((const uint8_t[]){__VA_ARGS__}), out)

TEST(dead_keys_compose)
{
    uint16_t out[8];
    keymap_init(&st);
    keymap_set_layout(&st, keylayout_find("de"));
    TYPED(out, 0x29, 0x12); /* ^ e */
    CHECK_EQ(out[0], 0xEA);
    CHECK_EQ(out[1], 0);
    TYPED(out, 0x0d, 0x1e); /* the acute key, a */
    CHECK_EQ(out[0], 0xE1);
    TYPED(out, 0x29, 0x39); /* ^ space: the accent itself */
    CHECK_EQ(out[0], '^');
    CHECK_EQ(out[1], 0);
    TYPED(out, 0x29, 0x29); /* ^ ^: the accent once */
    CHECK_EQ(out[0], '^');
    CHECK_EQ(out[1], 0);
    TYPED(out, 0x29, 0x2d); /* ^ x: both, as they do not compose */
    CHECK_EQ(out[0], '^');
    CHECK_EQ(out[1], 'x');
    CHECK_EQ(out[2], 0);
    /* shift + the acute key is the grave accent; shift A makes a capital */
    CHECK_EQ(FEED(0x2a, 0x0d, 0x8d, 0x1e, 0x9e, 0xaa), 6);
    CHECK_EQ(cp(1), 0);
    CHECK_EQ(cp(3), 0xC0);
    keymap_set_layout(&st, keylayout_find("fr"));
    TYPED(out, 0x1a, 0x16); /* ^ u */
    CHECK_EQ(out[0], 0xFB);
    CHECK_EQ(FEED(0x2a, 0x1a, 0x9a, 0xaa, 0x17, 0x97), 6); /* shift+^: the ¨ */
    CHECK_EQ(cp(4), 0xEF);                                 /* then i: ï */
    /* US has no dead keys: ^ types at once */
    keymap_set_layout(&st, NULL);
    CHECK_EQ(FEED(0x2a, 0x07, 0x87, 0xaa), 4);
    CHECK_EQ(cp(1), '^');
    CHECK_EQ(keylayout_compose('`', 'y'), 0);
    CHECK_EQ(keylayout_compose(0xA8, 'Y'), 0); /* not in Latin-1 */
}

TEST(unknown_bytes_make_no_event)
{
    keymap_init(&st);
    CHECK_EQ(FEED(0x00, 0x7f, 0x59, 0xe0, 0x01, 0xe1, 0x01, 0x02), 0);
    /* and the decoder is back in step afterwards */
    CHECK_EQ(FEED(0x1e), 1);
    CHECK(is(0, KEY_A, DOWN, 0, 'a'));
    CHECK(keymap_name(0) == NULL);
    CHECK(keymap_name(KEY_CODES - 1) == NULL);
}

int main(void)
{
    RUN(plain_letter_press_and_release);
    RUN(shift_gives_capitals_and_symbols);
    RUN(both_shifts_tracked_apart);
    RUN(caps_lock_toggles_letters_only);
    RUN(ctrl_makes_control_characters);
    RUN(e0_keys_are_not_their_keypad_twins);
    RUN(fake_shifts_are_ignored);
    RUN(pause_is_one_key_not_ctrl_numlock);
    RUN(typematic_repeat_is_marked);
    RUN(function_keys_and_escape);
    RUN(num_lock_gates_keypad_digits);
    RUN(unknown_bytes_make_no_event);
    RUN(layouts_type_their_characters);
    RUN(dead_keys_compose);
    return check_summary();
}
