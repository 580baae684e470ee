/*
 * Keys from a terminal in raw mode: xterm's escape sequences decoded.
 *
 * The shell's line editor and pico both read keys byte by byte from a
 * terminal with ICANON off; this is the one parser of the sequences the
 * terminal sends for the keys that are not characters. Each caller keeps
 * its own way of getting bytes (pico buffers its reads to see whether more
 * keys are waiting, the shell reads one byte at a time) and passes it in.
 *
 * See: docs/userland.md
 */
#pragma once

#define KEY_ESC       0x1b
#define KEY_BACKSPACE 0x7f /* what the Backspace key sends */

/* Keys decoded from escape sequences, above the byte values. */
enum key {
    KEY_UP = 0x100,
    KEY_DOWN,
    KEY_LEFT,
    KEY_RIGHT,
    KEY_HOME,
    KEY_END,
    KEY_INSERT,
    KEY_DELETE,
    KEY_PGUP,
    KEY_PGDN,
    KEY_NONE, /* a sequence this parser does not know: ignore it */
    KEY_EOF,  /* the input ended */
};

/*
 * Reads one key through next_byte(ctx), which returns the next byte or -1
 * at the end of input. Returns the byte itself for an ordinary key (ctrl-c
 * is 3, Backspace KEY_BACKSPACE), one of enum key for an escape sequence,
 * KEY_NONE for one it does not know, and KEY_EOF when the input ends.
 */
int key_read(int (*next_byte)(void *ctx), void *ctx);
