/*
 * What pico's files share: the buffer of lines, the screen, the keys.
 *
 * The text is an array of lines, each a growable byte string without its
 * '\n'. The file is the lines joined by '\n', so "a\nb\n" is the three
 * lines "a", "b", "" and is written back exactly as it was read; a new
 * file ends with a newline only if the user pressed Enter at its end.
 * Nothing else is remembered about the file, and nothing caps its size.
 *
 * See: docs/userland.md
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "key.h"

#define PICO_NAME_MAX 256
#define PICO_TAB      8 /* a tab moves to the next multiple of 8 */
#define CTRL(c)       ((c)&0x1f)

/* ---- buffer.c: the lines of the file ---- */
struct line {
    char *s;
    size_t len, cap;
};

struct buffer {
    struct line *lines;
    size_t count, cap;
    bool modified;
    char name[PICO_NAME_MAX]; /* "" while the file has no name */
};

/* Loads path into b (an empty buffer when it does not exist). Returns 0,
 * or -errno when it exists but cannot be read. */
int buffer_load(struct buffer *b, const char *path);
/* Writes b to its name; returns 0 or -errno. */
int buffer_save(struct buffer *b);
void buffer_init(struct buffer *b);
/* Inserts a line of text at index at (0..count). */
void buffer_insert_line(struct buffer *b, size_t at, const char *s, size_t len);
void buffer_delete_line(struct buffer *b, size_t at);
/* Inserts or removes bytes inside line l. */
void line_insert(struct line *l, size_t at, const char *s, size_t len);
void line_delete(struct line *l, size_t at, size_t len);

/* ---- term.c: raw mode, keys and the output buffer ---- */
#define KEY_ENTER '\r'

void term_raw(void);
void term_restore(void);
/* The terminal's size (48 x 128 on Ember's console). */
void term_size(int *rows, int *cols);
/* Blocks for the next key: a byte, or one of enum key. */
int term_key(void);
/* True when more typed bytes are already waiting (skip a redraw). */
bool term_pending(void);
/* Output is gathered and written once by term_flush(). */
void term_put(const char *s, size_t n);
void term_puts(const char *s);
void term_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void term_flush(void);

/* ---- screen.c: the view of the buffer ---- */
struct editor {
    struct buffer buf;
    size_t cy, cx;    /* the cursor: line index and byte index */
    size_t top, left; /* first line and first column shown */
    size_t want_col;  /* the screen column up and down aim for */
    int rows, cols;   /* the terminal; text rows are rows - 2 */
    bool overwrite;   /* the Insert key toggles it */
    char msg[160];    /* shown on the last row until the next key */
    /* What must be drawn: everything, lines from a screen row down, one
     * row, the status bar. */
    bool dirty_all;
    int dirty_from, dirty_row;
};

int screen_text_rows(const struct editor *e);
/* The cells byte c takes when it starts at screen column col: tabs reach
 * the next multiple of 8, other control bytes show as ^X. */
size_t screen_cell_width(unsigned char c, size_t col);
/* The screen column of byte x in line l (tabs expanded). */
size_t screen_col(const struct line *l, size_t x);
/* Keeps the cursor on screen, scrolling (and redrawing) when needed. */
void screen_scroll(struct editor *e);
void screen_dirty_line(struct editor *e, size_t line);
void screen_dirty_below(struct editor *e, size_t line);
/* Draws what is dirty, the status bar and the message; puts the cursor. */
void screen_refresh(struct editor *e);
void screen_message(struct editor *e, const char *msg);
/* Tells the screen a prompt drew over the message row. */
void screen_message_row_used(void);
/* Shows the help page until a key is pressed. */
void screen_help(struct editor *e);

/* ---- prompt.c: questions on the bottom row ---- */
/* Reads a line of text into out; returns false when cancelled. */
bool prompt_line(struct editor *e, const char *question, char *out,
                 size_t size);
/* Returns 'y', 'n' or 'c' (cancel). */
int prompt_ync(struct editor *e, const char *question);

/* ---- commands.c: what the keys do ---- */
void cmd_insert_char(struct editor *e, char c);
void cmd_enter(struct editor *e);
void cmd_backspace(struct editor *e);
void cmd_delete(struct editor *e);
void cmd_move(struct editor *e, int key);
void cmd_cut(struct editor *e, bool again);
void cmd_paste(struct editor *e);
void cmd_search(struct editor *e);
/* Saves, asking for a name if there is none; returns true when written. */
bool cmd_save(struct editor *e);
