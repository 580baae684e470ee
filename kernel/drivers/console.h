/*
 * The text console on the framebuffer: a ring of character cells with
 * colours, a cursor, scroll-back, UTF-8, and the ANSI escapes programs use.
 *
 * The cell grid is the back buffer: writes change cells and mark rows
 * dirty, and a painter task draws the dirty rows at most once a frame (the
 * kernel log's lines at once). A scroll turns the ring, never copies
 * cells or pixels, video memory is never read, and the whole screen can be
 * redrawn from the grid at any time (after a program that owned the screen
 * exits).
 *
 * Text is UTF-8, drawn through the font's Unicode table; what the font
 * lacks, and bad UTF-8, draws the replacement glyph. Escapes understood:
 * ESC[row;colH (and f), ESC[nA/B/C/D, ESC[J / ESC[nJ (3: the scroll-back
 * too), ESC[K / ESC[nK, ESC[?25l / ESC[?25h, ESC[?1049h / ESC[?1049l (and
 * 1047, 47: the alternate screen), ESC 7 / ESC 8, and SGR colours ESC[...m
 * (0, 1, 7, 22, 27, 30-37, 39, 40-47, 49, 90-97, 100-107). Control
 * characters: \n (new line, back to column 0), \r, \b, \t.
 *
 * Context: task or interrupt; not reentrant (see kernel/lib/log.c).
 * See: docs/console.md
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

/* Redraws every row from the cell grid, at once. */
void console_redraw(void);

/*
 * Starts the painter task; until then every write paints before it
 * returns. Context: boot, once the scheduler runs.
 */
void console_start_painter(void);

/*
 * Scroll-back: moves the view `pages` half screens up (> 0) or down (< 0)
 * through the lines that scrolled off, within what is kept; the main
 * screen only. Any context.
 */
void console_view_scroll(int pages);

/* Back to the bottom (a key was typed). Any context. */
void console_view_reset(void);

/*
 * While a program holds the screen (the seed's exclusive mode), writes keep
 * updating the back buffer but nothing is drawn; leaving redraws it all.
 */
void console_set_exclusive(bool on);

unsigned console_rows(void);
unsigned console_cols(void);
