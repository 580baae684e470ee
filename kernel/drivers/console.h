/*
 * The text console on the framebuffer: a grid of character cells with
 * colours, a cursor, scrolling, and the ANSI escapes programs use.
 *
 * The cell grid is the back buffer: writes change cells and mark rows dirty,
 * and each console_write() ends by rendering the dirty rows and copying them
 * to the screen. Scrolling moves cells, never pixels, so video memory is
 * never read, and the whole screen can be redrawn from the grid at any time
 * (after a program that owned the screen exits).
 *
 * Escapes understood: ESC[row;colH (and f), ESC[nA/B/C/D, ESC[J / ESC[nJ,
 * ESC[K / ESC[nK, ESC[?25l / ESC[?25h, and SGR colours ESC[...m (0, 1, 7,
 * 22, 27, 30-37, 39, 40-47, 49, 90-97, 100-107). Control characters: \n
 * (new line, back to column 0), \r, \b, \t.
 *
 * Context: task or interrupt; not reentrant (see kernel/lib/log.c).
 * See: docs/boot.md
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>

/* Starts the console on the framebuffer; false if there is no screen. */
bool console_init(void);

bool console_active(void);

/* Interprets n bytes (text and escapes) and updates the screen. */
void console_write(const char *s, size_t n);

/*
 * As console_write(), but '\n' is a pure line feed (down one row, same
 * column), as on a VT100: the terminal's output processing (OPOST, ONLCR)
 * decides where carriage returns go.
 */
void console_write_raw(const char *s, size_t n);

/* Redraws every row from the cell grid. */
void console_redraw(void);

/*
 * While a program holds the screen (the seed's exclusive mode), writes keep
 * updating the back buffer but nothing is drawn; leaving redraws it all.
 */
void console_set_exclusive(bool on);

unsigned console_rows(void);
unsigned console_cols(void);
