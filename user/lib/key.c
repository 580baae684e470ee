/*
 * The xterm key-sequence parser shared by the shell's editor and pico.
 *
 * xterm sends ESC [ A..D for the arrows (ESC O A..D in application mode),
 * ESC [ H / F or ESC [ 1 ~ / 4 ~ (7 ~ / 8 ~ on rxvt) for home and end, and
 * ESC [ 2 ~ .. 6 ~ for insert, delete, page up and page down. Modifiers
 * (ESC [ 1 ; 5 C for ctrl-right) are read and dropped, so a modified arrow
 * still moves. Anything else after ESC is one unknown key, KEY_NONE.
 *
 * See: docs/userland.md
 */
#include "key.h"

/* The number of an ESC [ n ~ sequence to its key. */
static int tilde_key(int num)
{
    switch (num) {
    case 1:
    case 7:
        return KEY_HOME;
    case 4:
    case 8:
        return KEY_END;
    case 2:
        return KEY_INSERT;
    case 3:
        return KEY_DELETE;
    case 5:
        return KEY_PGUP;
    case 6:
        return KEY_PGDN;
    default:
        return KEY_NONE;
    }
}

/* The final letter of ESC [ x or ESC O x to its key. */
static int letter_key(int c)
{
    switch (c) {
    case 'A':
        return KEY_UP;
    case 'B':
        return KEY_DOWN;
    case 'C':
        return KEY_RIGHT;
    case 'D':
        return KEY_LEFT;
    case 'H':
        return KEY_HOME;
    case 'F':
        return KEY_END;
    default:
        return c < 0 ? KEY_EOF : KEY_NONE;
    }
}

/* The rest of a CSI sequence, after ESC [. */
static int csi_key(int (*next_byte)(void *ctx), void *ctx)
{
    int c = next_byte(ctx), num = 0;
    while (c >= '0' && c <= '9') {
        num = num * 10 + (c - '0');
        c = next_byte(ctx);
    }
    while (c == ';' || (c >= '0' && c <= '9')) /* modifiers: ignored */
        c = next_byte(ctx);
    return c == '~' ? tilde_key(num) : letter_key(c);
}

int key_read(int (*next_byte)(void *ctx), void *ctx)
{
    int c = next_byte(ctx);
    if (c < 0)
        return KEY_EOF;
    if (c != KEY_ESC)
        return c;
    c = next_byte(ctx);
    if (c == '[')
        return csi_key(next_byte, ctx);
    if (c == 'O') /* SS3: application-mode arrows and home/end */
        return letter_key(next_byte(ctx));
    return c < 0 ? KEY_EOF : KEY_NONE;
}
