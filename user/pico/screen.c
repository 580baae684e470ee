/*
 * The screen: the text rows, the status bar and the message row.
 *
 * The top rows - 2 rows show lines top.. of the buffer from screen column
 * left on; then comes the status bar (reverse video: name, modified flag,
 * line and column) and a row for messages, prompts and the key hints.
 * Tabs are drawn as spaces to the next multiple of 8 and other control
 * bytes as ^X, two cells wide. All lines scroll sideways together when the
 * cursor leaves the visible columns, as less(1) does.
 *
 * Drawing under TCG is slow, so only what changed is drawn: the commands
 * mark one row dirty (a typed key), the rows from one line down (Enter,
 * joining lines, cut, paste), or everything (scrolling, help). The status
 * bar and message row are drawn only when their text differs from what is
 * on the screen. The last text column is left empty so that a full row
 * never makes the console wrap.
 *
 * See: docs/userland.md
 */
#include "pico.h"

#include <stdio.h>
#include <string.h>

#define HINTS     "^G Help  ^S Save  ^X Exit  ^K Cut  ^U Paste  ^W Search"
#define NOT_DIRTY -1

static char shown_status[PICO_NAME_MAX + 128];
static char shown_msg[sizeof(((struct editor *)0)->msg)];

int screen_text_rows(const struct editor *e)
{
    return e->rows - 2;
}

static size_t text_width(const struct editor *e)
{
    return (size_t)e->cols - 1;
}

size_t screen_cell_width(unsigned char c, size_t col)
{
    if (c == '\t')
        return PICO_TAB - col % PICO_TAB;
    return c < ' ' || c == 0x7f ? 2 : 1;
}

size_t screen_col(const struct line *l, size_t x)
{
    size_t col = 0;
    for (size_t i = 0; i < x && i < l->len; i++)
        col += screen_cell_width((unsigned char)l->s[i], col);
    return col;
}

void screen_scroll(struct editor *e)
{
    size_t rows = (size_t)screen_text_rows(e), width = text_width(e);
    if (e->cy < e->top) {
        e->top = e->cy;
        e->dirty_all = true;
    } else if (e->cy >= e->top + rows) {
        e->top = e->cy - rows + 1;
        e->dirty_all = true;
    }
    size_t col = screen_col(&e->buf.lines[e->cy], e->cx);
    if (col < e->left || col >= e->left + width) {
        e->left = col > width / 2 ? col - width / 2 : 0;
        e->dirty_all = true;
    }
}

void screen_dirty_line(struct editor *e, size_t line)
{
    if (line >= e->top && line < e->top + (size_t)screen_text_rows(e)) {
        int row = (int)(line - e->top);
        if (e->dirty_row != NOT_DIRTY && e->dirty_row != row)
            screen_dirty_below(
                e, e->top + (size_t)(row < e->dirty_row ? row : e->dirty_row));
        else
            e->dirty_row = row;
    }
}

void screen_dirty_below(struct editor *e, size_t line)
{
    int row = line < e->top ? 0 : (int)(line - e->top);
    if (e->dirty_from == NOT_DIRTY || row < e->dirty_from)
        e->dirty_from = row;
}

/* Draws one text row: the visible cells of its line, then erase. */
static void draw_row(struct editor *e, int row)
{
    term_printf("\x1b[%d;1H", row + 1);
    size_t i = e->top + (size_t)row;
    if (i < e->buf.count) {
        const struct line *l = &e->buf.lines[i];
        size_t col = 0, left = e->left, right = e->left + text_width(e);
        for (size_t x = 0; x < l->len && col < right; x++) {
            unsigned char c = (unsigned char)l->s[x];
            size_t w = screen_cell_width(c, col);
            for (size_t k = 0; k < w; k++, col++) {
                if (col < left || col >= right)
                    continue;
                char cell = (char)c;
                if (c == '\t')
                    cell = ' ';
                else if (w == 2)
                    cell = k == 0 ? '^' : (char)(c ^ 0x40);
                term_put(&cell, 1);
            }
        }
    }
    term_puts("\x1b[K");
}

static void draw_status(struct editor *e)
{
    char left[PICO_NAME_MAX + 32], right[64], bar[sizeof(shown_status)];
    snprintf(left, sizeof(left), " pico  %s%s",
             e->buf.name[0] ? e->buf.name : "New Buffer",
             e->buf.modified ? "  [Modified]" : "");
    /* the column on the screen, so a tab counts as the columns it fills */
    snprintf(right, sizeof(right), "%sline %zu/%zu, col %zu",
             e->overwrite ? "OVR  " : "", e->cy + 1, e->buf.count,
             screen_col(&e->buf.lines[e->cy], e->cx) + 1);
    int pad = e->cols - 1 - (int)strlen(left) - (int)strlen(right);
    snprintf(bar, sizeof(bar), "%s%*s%s", left, pad > 1 ? pad : 1, "", right);
    if (strcmp(bar, shown_status) == 0 && !e->dirty_all)
        return;
    snprintf(shown_status, sizeof(shown_status), "%s", bar);
    if (e->cols - 1 < (int)sizeof(bar))
        bar[e->cols - 1] = '\0'; /* never the last column: no wrap */
    term_printf("\x1b[%d;1H\x1b[7m%s\x1b[K\x1b[0m", e->rows - 1, bar);
}

static void draw_message(struct editor *e)
{
    const char *text = e->msg[0] ? e->msg : HINTS;
    if (strcmp(text, shown_msg) == 0 && !e->dirty_all)
        return;
    snprintf(shown_msg, sizeof(shown_msg), "%s", text);
    term_printf("\x1b[%d;1H%.*s\x1b[K", e->rows, e->cols - 1, text);
}

void screen_refresh(struct editor *e)
{
    screen_scroll(e);
    term_puts("\x1b[?25l");
    int rows = screen_text_rows(e);
    int from = e->dirty_all ? 0 : e->dirty_from;
    if (from != NOT_DIRTY)
        for (int r = from; r < rows; r++)
            draw_row(e, r);
    if (e->dirty_row != NOT_DIRTY && (from == NOT_DIRTY || e->dirty_row < from))
        draw_row(e, e->dirty_row);
    draw_status(e);
    draw_message(e);
    size_t col = screen_col(&e->buf.lines[e->cy], e->cx) - e->left;
    term_printf("\x1b[%zu;%zuH\x1b[?25h", e->cy - e->top + 1, col + 1);
    e->dirty_all = false;
    e->dirty_from = e->dirty_row = NOT_DIRTY;
    term_flush();
}

void screen_message_row_used(void)
{
    shown_msg[0] = '\0'; /* matches no text, so the next refresh draws */
}

void screen_message(struct editor *e, const char *msg)
{
    snprintf(e->msg, sizeof(e->msg), "%s", msg);
}

static const char *const help[] = {
    "pico: a small editor in the style of nano",
    "",
    "  arrows         move the cursor",
    "  Home / End     start / end of the line",
    "  PgUp / PgDn    a screen up / down",
    "  Insert         switch between insert and overwrite",
    "  Delete, Backspace  erase the byte after / before the cursor",
    "  Enter          split the line",
    "",
    "  ^S  save (asks for a name when the buffer has none)",
    "  ^X  exit (asks first when there are unsaved changes)",
    "  ^K  cut the line (several ^K in a row cut several lines)",
    "  ^U  paste the lines cut last, above the cursor",
    "  ^W  search forward (Enter alone repeats the last search)",
    "  ^G  this help",
    "",
    "Press any key to go back to the text.",
};

void screen_help(struct editor *e)
{
    term_puts("\x1b[H\x1b[2J");
    for (size_t i = 0; i < sizeof(help) / sizeof(help[0]); i++)
        term_printf("\x1b[%zu;1H%s", i + 1, help[i]);
    term_flush();
    term_key();
    e->dirty_all = true;
}
