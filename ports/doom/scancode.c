/*
 * PS/2 scancode set 1 decoding, for both game ports (scancode.h).
 *
 * Both DOOM and Quake read keys as the raw bytes of Ember's scancode call,
 * so the state machine (0xE0 prefixes, the six bytes of Pause, the release
 * bit, the shift keys) lives here once; what differs between the games is
 * only the table from a make code to a key number, which each port's
 * input.c keeps.
 *
 * Context: the game's one thread.
 * See: docs/doom.md, docs/quake.md
 */
#include "scancode.h"

/* Bytes after each E1 of Pause: 1D 45, then 9D C5. */
#define PAUSE_TAIL 2

/* What shift makes of the US keys that are not letters. */
static const char us_shifted[][2] = {
    {'1', '!'}, {'2', '@'}, {'3', '#'},  {'4', '$'}, {'5', '%'},  {'6', '^'},
    {'7', '&'}, {'8', '*'}, {'9', '('},  {'0', ')'}, {'-', '_'},  {'=', '+'},
    {'[', '{'}, {']', '}'}, {'\\', '|'}, {';', ':'}, {'\'', '"'}, {'`', '~'},
    {',', '<'}, {'.', '>'}, {'/', '?'},
};

bool scancode_feed(struct scancode_decoder *d, uint8_t byte,
                   struct scancode_key *key)
{
    if (d->pause_left > 0) {
        if (--d->pause_left > 0) {
            d->pause_release = (byte & SCANCODE_RELEASE) != 0;
            return false;
        }
        *key =
            (struct scancode_key){.pause = true, .pressed = !d->pause_release};
        return true;
    }
    if (byte == SCANCODE_PAUSE) {
        d->pause_left = PAUSE_TAIL;
        return false;
    }
    if (byte == SCANCODE_EXTENDED) {
        d->extended = true;
        return false;
    }
    *key = (struct scancode_key){
        .code = byte & SCANCODE_CODE,
        .extended = d->extended,
        .pressed = (byte & SCANCODE_RELEASE) == 0,
    };
    d->extended = false;
    /* E0 2A and E0 36 are "fake shifts" around some keys: not shift. */
    if (!key->extended && key->code == SCANCODE_LSHIFT)
        d->lshift = key->pressed;
    if (!key->extended && key->code == SCANCODE_RSHIFT)
        d->rshift = key->pressed;
    return true;
}

bool scancode_shift_held(const struct scancode_decoder *d)
{
    return d->lshift || d->rshift;
}

int scancode_us_shifted(int ch)
{
    if (ch >= 'a' && ch <= 'z')
        return ch - 'a' + 'A';
    for (unsigned int i = 0; i < sizeof us_shifted / sizeof us_shifted[0];
         i++) {
        if (us_shifted[i][0] == ch)
            return us_shifted[i][1];
    }
    return ch;
}

int scancode_map(const struct scancode_key *k, const uint8_t *plain,
                 const uint8_t *e0, int pause_key)
{
    if (k->pause)
        return pause_key;
    return k->extended ? e0[k->code] : plain[k->code];
}
